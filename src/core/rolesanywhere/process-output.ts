// The credential_process output, byte for byte as aws_signing_helper prints it: Go's json.Marshal of
// {Version, AccessKeyId, SecretAccessKey, SessionToken, Expiration}, no trailing newline.
import type { SessionCredentials } from './response';

export function credentialProcessJson(credentials: Pick<SessionCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>): string {
  const json = JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration,
  });
  // Go escapes these for HTML safety; match it so outputs compare equal.
  return json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
