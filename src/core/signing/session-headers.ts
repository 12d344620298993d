// The header set CreateSession sends and signs. Content-Length is left out because the HTTP
// stack sets it and a mismatch would break the signature; User-Agent is never signed.

export interface SessionHeadersInput {
  /** Host as sent: with `:port` when the endpoint URL has a non-default port. */
  readonly host: string;
  readonly amzDate: string;
  readonly certificateDer: Buffer;
  /** Intermediates in file order; any copy of the leaf is dropped. */
  readonly chainDer?: readonly Buffer[];
}

export function createSessionHeaders(input: SessionHeadersInput): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Host: input.host,
    'X-Amz-Date': input.amzDate,
    'X-Amz-X509': input.certificateDer.toString('base64'),
  };
  // Bundles often start with the leaf itself; the service wants only the certificates above it.
  const chain = (input.chainDer ?? []).filter((der) => !der.equals(input.certificateDer));
  if (chain.length > 0) headers['X-Amz-X509-Chain'] = chain.map((der) => der.toString('base64')).join(',');
  return headers;
}
