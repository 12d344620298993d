// View models for browser tests that need no agent: what the screens look like with given data.
import type { CallResult, EventName } from '../../../src/shared/contract';
import type { AppState, CertificateSummary, DraftView, ProfileView, Settings } from '../../../src/shared/model';
import type { BridgeCall, BridgeListener, BridgeSubscribe } from './install-bridge';

export const ACCOUNT = '123456789012';
export const TRUST_ANCHOR_ARN = `arn:aws:rolesanywhere:eu-west-1:${ACCOUNT}:trust-anchor/3f1c2a9e-5b7d-4e21-9c0a-7d6e8f901234`;
export const PROFILE_ARN = `arn:aws:rolesanywhere:eu-west-1:${ACCOUNT}:profile/8a4b6c2d-1e3f-4a5b-8c7d-9e0f1a2b3c4d`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/developers/Developer`;

export function fakeCertificate(overrides: Partial<CertificateSummary> = {}): CertificateSummary {
  return {
    subject: 'C=DE, O=Example GmbH, OU=Platform, CN=alice',
    issuer: 'C=DE, O=Example GmbH, CN=Example Issuing CA 1',
    serialHex: '5A3F0C11D2E4',
    serialDecimal: '99208155697892',
    notBefore: '2025-01-10T09:00:00.000Z',
    notAfter: '2027-01-10T09:00:00.000Z',
    keyAlgorithm: 'EC P-256',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    fingerprintSha256: '3B:9F:0C:11:D2:E4:7A:55:60:18:AF:42:9C:E1:03:7B:8D:24:66:F0:19:C3:5E:A8:72:B4:0D:91:E6:2F:C8:57',
    isCa: false,
    keyUsage: ['digitalSignature'],
    subjectAlternativeNames: { dns: ['alice.dev.example.com'], uri: [], email: [], ip: [], directoryName: [] },
    principalTags: {
      'x509Subject/C': 'DE',
      'x509Subject/O': 'Example GmbH',
      'x509Subject/OU': 'Platform',
      'x509Subject/CN': 'alice',
      'x509Issuer/C': 'DE',
      'x509Issuer/O': 'Example GmbH',
      'x509Issuer/CN': 'Example Issuing CA 1',
      'x509SAN/DNS': 'alice.dev.example.com',
    },
    ...overrides,
  };
}

export function fakeProfile(name: string, overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    name,
    status: 'inactive',
    trustAnchorArn: TRUST_ANCHOR_ARN,
    profileArn: PROFILE_ARN,
    roleArn: ROLE_ARN,
    signingRegion: 'eu-west-1',
    durationSeconds: 3600,
    autoRefresh: true,
    delivery: 'file',
    deliveredTo: '/home/alice/.aws/credentials',
    keyStorage: 'keychain',
    certificate: fakeCertificate(),
    chain: [],
    certificateState: 'ok',
    certificateDaysLeft: 400,
    ...overrides,
  };
}

/** An active profile whose credentials expire `secondsLeft` from now. */
export function activeProfile(name: string, secondsLeft: number, overrides: Partial<ProfileView> = {}): ProfileView {
  const now = Date.now();
  return fakeProfile(name, {
    status: 'active',
    expiresAt: new Date(now + secondsLeft * 1000).toISOString(),
    lastRefreshedAt: new Date(now - 60_000).toISOString(),
    nextRefreshAt: new Date(now + Math.max(0, secondsLeft - 900) * 1000).toISOString(),
    accessKeyIdMasked: 'ASIA…7QXM',
    ...overrides,
  });
}

export function fakeDraft(overrides: Partial<DraftView> = {}): DraftView {
  return {
    draftId: 'draft-1',
    unlocked: true,
    sourceFiles: ['/home/alice/certs/alice.pem', '/home/alice/certs/alice.key'],
    certificate: fakeCertificate(),
    chain: [fakeCertificate({ subject: 'C=DE, O=Example GmbH, CN=Example Issuing CA 1', issuer: 'C=DE, O=Example GmbH, CN=Example Root CA', fingerprintSha256: 'AA:BB', isCa: true })],
    keyAlgorithm: 'EC P-256',
    problems: [],
    warnings: [],
    ...overrides,
  };
}

export const SETTINGS: Settings = { startAtLogin: false, notifications: true, defaultShell: 'zsh', requestTimeoutSeconds: 30 };

export function fakeState(profiles: readonly ProfileView[], settings: Settings = SETTINGS): AppState {
  return {
    profiles,
    settings,
    agent: { pid: 4242, host: 'app', version: '0.1.0', startedAt: new Date().toISOString(), dataDir: '/home/alice/.config/Rolecall' },
  };
}

export type Handler = (input: unknown) => unknown;

/**
 * A bridge backed by a map of handlers. A handler may throw {code, message, next, detail} to fail the
 * call; `emit` sends events to the pages, as the agent would.
 */
export function handlerBridge(handlers: Record<string, Handler>): { call: BridgeCall; subscribe: BridgeSubscribe; emit: (event: EventName, payload: unknown) => void; calls: { operation: string; input: unknown }[] } {
  const listeners = new Set<BridgeListener>();
  const calls: { operation: string; input: unknown }[] = [];
  const call: BridgeCall = async (operation, input): Promise<CallResult<unknown>> => {
    calls.push({ operation, input });
    const handler = handlers[operation];
    if (!handler) return { ok: false, error: { code: 'INTERNAL', message: 'Something unexpected went wrong inside Rolecall.', next: 'Try again.', detail: `no test handler for ${operation}` } };
    try {
      return { ok: true, value: await handler(input) };
    } catch (error) {
      return { ok: false, error: error as never };
    }
  };
  return {
    call,
    calls,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit: (event, payload) => {
      for (const listener of listeners) listener(event, payload);
    },
  };
}
