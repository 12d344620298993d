// The agent's draft warning about a certificate near its end opens with these words. The CLI prints the
// warning as it is; the window words a certificate's expiry itself (renderer/format/certificate-expiry.ts),
// so it recognises this one to show it once, in its own words.
export const EXPIRY_WARNING_OPENING = 'The certificate expires in';

export function isExpiryWarning(warning: string): boolean {
  return warning.startsWith(EXPIRY_WARNING_OPENING);
}
