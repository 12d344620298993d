// What the editor's pickers offer after discovery, on the real fixture certificates' summaries.
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../src/core/pki';
import { anchorOptions, CHAINS_TO_NOTE, namesFor, preselectedAnchor, profileOptions, roleOptions, sameNames } from '../../src/renderer/format/discovery-picks';
import type { Discovery, ProfileView } from '../../src/shared/model';
import { readPki } from '../helpers/fixtures';

const summary = (file: string) => {
  const [certificate] = parseCertificates(readPki(file));
  if (!certificate) throw new Error(`no certificate in ${file}`);
  return certificate.toSummary();
};
const anchorOf = (file: string) => {
  const { subject, fingerprintSha256 } = summary(file);
  return [{ subject, fingerprintSha256 }];
};

const ARN = (kind: string, id: string) => `arn:aws:rolesanywhere:us-east-1:123456789012:${kind}/${id}`;
const discovery: Discovery = {
  region: 'us-east-1',
  trustAnchors: [
    { arn: ARN('trust-anchor', 'a1'), name: 'zeta-other', enabled: true, certificates: anchorOf('is-ca.cert.pem') },
    { arn: ARN('trust-anchor', 'a2'), name: 'root', enabled: true, certificates: anchorOf('root-ca.cert.pem') },
    { arn: ARN('trust-anchor', 'a3'), name: 'intermediate', enabled: false, certificates: anchorOf('intermediate-ca.cert.pem') },
    { arn: ARN('trust-anchor', 'a4'), name: '', enabled: true },
  ],
  profiles: [
    { arn: ARN('profile', 'p1'), name: 'old', enabled: false, roleArns: ['arn:aws:iam::123456789012:role/Old'], acceptRoleSessionName: false },
    { arn: ARN('profile', 'p2'), name: 'developers', enabled: true, roleArns: ['arn:aws:iam::123456789012:role/ops/Developer', 'arn:aws:iam::123456789012:role/Admin'], acceptRoleSessionName: true },
  ],
};

describe('discovery pickers', () => {
  it('marks the anchors a certificate chains to (by the issuer of the chain\'s top, or a CA sent in the chain) and lists them first, disabled ones last', () => {
    const leaf = summary('leaf-ec-p256.cert.pem');
    const chain = [summary('intermediate-ca.cert.pem')];
    const options = anchorOptions(discovery, leaf, chain);
    expect(options.map((option) => [option.name, option.note, option.enabled])).toEqual([
      ['root', CHAINS_TO_NOTE, true],
      ['a4', undefined, true],
      ['zeta-other', undefined, true],
      // A disabled anchor cannot sign anyone in, whatever it holds: last.
      ['intermediate', CHAINS_TO_NOTE, false],
    ]);
    // Two match, so none is preselected; with the intermediate anchor gone, root is.
    expect(preselectedAnchor(options)).toBeUndefined();
    expect(preselectedAnchor(anchorOptions({ ...discovery, trustAnchors: discovery.trustAnchors.filter((anchor) => anchor.name !== 'intermediate') }, leaf, chain))).toBe(ARN('trust-anchor', 'a2'));
  });

  it('lists profiles by name, enabled first, and the chosen profile\'s roles by name', () => {
    expect(profileOptions(discovery).map((option) => option.name)).toEqual(['developers', 'old']);
    expect(roleOptions(discovery, ARN('profile', 'p2')).map((option) => option.name)).toEqual(['Admin', 'Developer']);
    expect(roleOptions(discovery, '').map((option) => option.name)).toEqual(['Admin', 'Developer', 'Old']);
  });

  it('saves discovery\'s names for the chosen ARNs, keeps a profile\'s saved names only while its ARNs stay, and none for a typed ARN', () => {
    expect(namesFor(ARN('trust-anchor', 'a2'), ARN('profile', 'p2'), discovery, undefined)).toEqual({ trustAnchor: 'root', profile: 'developers' });
    const saved = { trustAnchorArn: ARN('trust-anchor', 'x'), profileArn: ARN('profile', 'y'), names: { trustAnchor: 'kept', profile: 'also kept' } } as unknown as ProfileView;
    expect(namesFor(ARN('trust-anchor', 'x'), ARN('profile', 'other'), undefined, saved)).toEqual({ trustAnchor: 'kept' });
    expect(namesFor(ARN('trust-anchor', 'typed'), ARN('profile', 'typed'), discovery, saved)).toBeUndefined();
    expect(sameNames(undefined, {})).toBe(true);
    expect(sameNames({ trustAnchor: 'a' }, { trustAnchor: 'b' })).toBe(false);
  });
});
