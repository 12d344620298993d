// View models for main-process tests: a complete ProfileView/AppState with only the fields a test cares about changed.
import type { AppState, CertificateSummary, ProfileView, Settings } from '../../src/shared/model';

export const NOW = Date.parse('2030-01-01T12:00:00Z');
export const minutesFromNow = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();

const certificate: CertificateSummary = {
  subject: 'CN=dev',
  issuer: 'CN=Test CA',
  serialHex: '01',
  serialDecimal: '1',
  notBefore: '2029-01-01T00:00:00.000Z',
  notAfter: '2031-01-01T00:00:00.000Z',
  keyAlgorithm: 'EC P-256',
  signatureAlgorithm: 'ecdsa-with-SHA256',
  fingerprintSha256: 'AA:BB',
  isCa: false,
  subjectAlternativeNames: { dns: [], uri: [], email: [], ip: [], directoryName: [] },
  principalTags: { 'x509Subject/CN': 'dev' },
};

export function profileView(name: string, overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    name,
    status: 'inactive',
    trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/ta',
    profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p',
    roleArn: 'arn:aws:iam::123456789012:role/dev',
    signingRegion: 'us-east-1',
    durationSeconds: 3600,
    autoRefresh: true,
    delivery: 'file',
    deliveredTo: '/home/u/.aws/credentials',
    keyStorage: 'keychain',
    certificate,
    chain: [],
    certificateState: 'ok',
    certificateDaysLeft: 365,
    ...overrides,
  };
}

export function withCertificateNotAfter(profile: ProfileView, notAfter: string, fingerprint = 'AA:BB'): ProfileView {
  return { ...profile, certificate: { ...profile.certificate, notAfter, fingerprintSha256: fingerprint } };
}

export const defaultSettings: Settings = { startAtLogin: false, notifications: true, defaultShell: 'bash', requestTimeoutSeconds: 30 };

export function appState(profiles: readonly ProfileView[], settings: Partial<Settings> = {}): AppState {
  return {
    profiles,
    settings: { ...defaultSettings, ...settings },
    agent: { pid: 1, host: 'app', version: '0.1.0', startedAt: '2030-01-01T00:00:00.000Z', dataDir: '/data' },
  };
}
