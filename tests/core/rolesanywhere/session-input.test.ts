import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNodeTransport } from '../../../src/core/platform/node-transport';
import { Certificate } from '../../../src/core/pki';
import { createSession, sessionRequestFor, signingIdentity } from '../../../src/core/rolesanywhere';
import { keyObjectSigner } from '../../../src/core/signing';
import { VirtualClock } from '../../helpers/virtual-clock';
import { vectorCa, vectorLeaf } from '../signing/test-keys';
import { startFakeRolesAnywhere, SUCCESS } from './fake-rolesanywhere';
import { checkAuthorization } from './verify-authorization';

const TARGET = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/66666666-7777-8888-9999-000000000000',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/11111111-2222-3333-4444-555555555555',
  roleArn: 'arn:aws:iam::123456789012:role/Dev',
};

describe('sessionRequestFor: the one CreateSession input', () => {
  it('sends what the target asks for, signed by the identity, with the one User-Agent left unsigned', async () => {
    const server = await startFakeRolesAnywhere([SUCCESS]);
    const transport = createNodeTransport();
    try {
      const vector = vectorLeaf();
      const identity = signingIdentity(Certificate.fromDer(vector.der), [Certificate.fromDer(vectorCa().der)], keyObjectSigner(vector.key));
      const request = sessionRequestFor({ ...TARGET, endpoint: server.endpoint, durationSeconds: 1800, roleSessionName: 'alice', region: undefined }, identity, { version: '9.8.7' });
      await createSession(request, { transport, clock: new VirtualClock() });
      const [sent] = server.requests;
      if (!sent) throw new Error('no request recorded');
      expect(sent.headers['user-agent']).toBe(`rolecall/9.8.7 node/${process.version}`);
      expect(JSON.parse(sent.body)).toEqual({ durationSeconds: 1800, roleSessionName: 'alice' });
      expect(sent.headers['x-amz-x509-chain']).toBe(vectorCa().der.toString('base64'));
      expect(checkAuthorization(sent, createPublicKey(vector.key)).valid).toBe(true);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('leaves out what the target does not set, so the service defaults apply', () => {
    const vector = vectorLeaf();
    const request = sessionRequestFor(TARGET, signingIdentity(Certificate.fromDer(vector.der), [], keyObjectSigner(vector.key)), { version: '1.0.0', timeoutMs: 5000 });
    expect(Object.keys(request).sort()).toEqual(['certificateDer', 'chainDer', 'profileArn', 'roleArn', 'serialDecimal', 'signer', 'timeoutMs', 'trustAnchorArn', 'userAgent']);
    expect(request.serialDecimal).toBe(vector.serialDecimal);
  });
});
