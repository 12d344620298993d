import { canonicalRequest, credentialScope, SERVICE_NAME, signedHeaderList, stringToSign } from './canonical';
import type { Signer } from './signer';

export interface SignRequestInput {
  readonly method: string;
  /** The path as sent on the wire, e.g. `/sessions`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Exactly the headers to sign (and no others): the caller decides what is signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** `YYYYMMDDTHHMMSSZ`; must be the value of the X-Amz-Date header. */
  readonly amzDate: string;
  readonly region: string;
  readonly service?: string;
  /** The leaf certificate's serial number in decimal, no leading zeros. */
  readonly serialDecimal: string;
  readonly signer: Signer;
}

export interface SignedRequest {
  readonly authorization: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signedHeaders: string;
}

export async function signRequest(input: SignRequestInput): Promise<SignedRequest> {
  const algorithm = input.signer.algorithm;
  const scope = credentialScope(input.amzDate, input.region, input.service ?? SERVICE_NAME);
  const canonical = canonicalRequest(input);
  const toSign = stringToSign(algorithm, input.amzDate, scope, canonical);
  const signedHeaders = signedHeaderList(input.headers);
  const signature = await input.signer.sign(Buffer.from(toSign, 'utf8'));
  return {
    authorization: `${algorithm} Credential=${input.serialDecimal}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature.toString('hex')}`,
    canonicalRequest: canonical,
    stringToSign: toSign,
    signedHeaders,
  };
}
