import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../src/core/pki';
import { certificateState, toProfileView, type ProfileDefinition } from '../../../src/core/profiles';
import { readPki } from '../../helpers/fixtures';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from './helpers';

const awsPaths = { credentials: '/home/u/.aws/credentials', config: '/home/u/.aws/config' };
const DAY = 24 * 60 * 60 * 1000;
// Fixture leaves are valid from 2025-01-01 to 2124-12-31.
const NOT_AFTER = Date.UTC(2124, 11, 31);

const definition = (extra: Partial<ProfileDefinition> = {}): ProfileDefinition => ({
  name: 'dev',
  certificatePem: readPki('leaf-ec-p256.cert.pem'),
  chainPem: [readPki('intermediate-ca.cert.pem')],
  key: { kind: 'keychain', account: 'key:1' },
  trustAnchorArn: TRUST_ANCHOR_ARN,
  profileArn: PROFILE_ARN,
  roleArn: ROLE_ARN,
  durationSeconds: 3600,
  autoRefresh: true,
  delivery: 'file',
  createdAt: '2026-06-01T00:00:00.000Z',
  updatedAt: '2026-06-01T00:00:00.000Z',
  ...extra,
});

describe('certificateState', () => {
  const leaf = parseCertificates(readPki('leaf-ec-p256.cert.pem'))[0]!;

  it('is ok, then expiring within 14 days, then expired', () => {
    expect(certificateState(leaf, NOT_AFTER - 15 * DAY)).toBe('ok');
    expect(certificateState(leaf, NOT_AFTER - 14 * DAY)).toBe('expiring');
    expect(certificateState(leaf, NOT_AFTER)).toBe('expiring');
    expect(certificateState(leaf, NOT_AFTER + 1)).toBe('expired');
  });

  it('is not-yet-valid before notBefore', () => {
    expect(certificateState(leaf, Date.UTC(2024, 11, 31))).toBe('not-yet-valid');
  });
});

describe('toProfileView', () => {
  it('shows an inactive profile with its certificate, defaults and where it delivers', () => {
    const view = toProfileView(definition(), undefined, NOT_AFTER - 30.5 * DAY, awsPaths);
    expect(view).toMatchObject({
      name: 'dev',
      status: 'inactive',
      signingRegion: 'eu-west-1',
      delivery: 'file',
      deliveredTo: awsPaths.credentials,
      keyStorage: 'keychain',
      certificateState: 'ok',
      certificateDaysLeft: 30,
    });
    expect(view.certificate.subject).toContain('CN=leaf-ec-p256');
    expect(view.chain.map((certificate) => certificate.subject)).toEqual([expect.stringContaining('Intermediate CA')]);
    expect(view).not.toHaveProperty('keyPath');
    expect(view).not.toHaveProperty('expiresAt');
    expect(JSON.stringify(view)).not.toContain('key:1');
  });

  it('carries the session state and, for a key file, its path', () => {
    const state = {
      name: 'dev',
      status: 'failed' as const,
      expiresAt: '2026-06-01T01:00:00Z',
      lastError: { code: 'THROTTLED' as const, message: 'm', next: 'n' },
      accessKeyIdMasked: 'ASIA…WXYZ',
    };
    const view = toProfileView(definition({ key: { kind: 'file', path: '/keys/dev.pem' }, delivery: 'process', signingRegion: 'eu-central-1', toolRegion: 'us-west-2' }), state, Date.UTC(2026, 5, 1), awsPaths);
    expect(view).toMatchObject({
      status: 'failed',
      expiresAt: '2026-06-01T01:00:00Z',
      lastError: { code: 'THROTTLED' },
      accessKeyIdMasked: 'ASIA…WXYZ',
      keyStorage: 'file',
      keyPath: '/keys/dev.pem',
      deliveredTo: awsPaths.config,
      signingRegion: 'eu-central-1',
      toolRegion: 'us-west-2',
    });
  });

  it('names the config file too when file delivery writes a tool region there, and only then', () => {
    const at = Date.UTC(2026, 5, 1);
    expect(toProfileView(definition({ toolRegion: 'us-west-2' }), undefined, at, awsPaths)).toMatchObject({ deliveredTo: awsPaths.credentials, toolRegionFile: awsPaths.config });
    expect(toProfileView(definition(), undefined, at, awsPaths)).not.toHaveProperty('toolRegionFile');
    // Process delivery writes the region beside credential_process, in the one file it names already.
    expect(toProfileView(definition({ delivery: 'process', toolRegion: 'us-west-2' }), undefined, at, awsPaths)).not.toHaveProperty('toolRegionFile');
    expect(toProfileView(definition({ toolRegion: 'us-west-2', configFile: '/data/sandbox/config' }), undefined, at, awsPaths).toolRegionFile).toBe('/data/sandbox/config');
  });

  it('uses the profile\'s own files when it has them', () => {
    const view = toProfileView(definition({ credentialsFile: '/data/sandbox/credentials' }), undefined, Date.UTC(2026, 5, 1), awsPaths);
    expect(view.deliveredTo).toBe('/data/sandbox/credentials');
  });
});
