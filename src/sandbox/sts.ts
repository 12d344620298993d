// STS GetCallerIdentity in the three forms clients use: the query protocol answered in XML (AWS CLI,
// boto3, JS SDK v3), the query protocol answered in JSON (`Accept: application/json`), and
// awsJson1_0 (`X-Amz-Target: AWSSecurityTokenServiceV20110615.*`, which newer SDKs may send).
import { headerValue, parseQuery, type RawRequest } from './canonical';
import type { Answer } from './answer';
import type { IssuedCredentials } from './credentials';
import { ServiceError } from './service-error';

export type StsProtocol = 'query-xml' | 'query-json' | 'json';

export interface StsCall {
  readonly protocol: StsProtocol;
  /** The operation asked for, e.g. GetCallerIdentity; undefined when none was named. */
  readonly action: string | undefined;
  readonly version: string | undefined;
}

const TARGET_PREFIX = 'AWSSecurityTokenServiceV20110615.';
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_VERSION = '2011-06-15';

/** Whether a request to `/` is an STS call at all (an Action parameter or an STS target). */
export function readStsCall(request: RawRequest): StsCall | undefined {
  const target = headerValue(request.headers, 'x-amz-target');
  if (target !== undefined) {
    if (!target.startsWith(TARGET_PREFIX)) return undefined;
    return { protocol: 'json', action: target.slice(TARGET_PREFIX.length), version: STS_VERSION };
  }
  const params = new Map([...(parseQuery(request.query) ?? []), ...formParams(request)]);
  const action = params.get('Action');
  if (action === undefined) return undefined;
  const accept = headerValue(request.headers, 'accept') ?? '';
  return { protocol: /application\/json/i.test(accept) ? 'query-json' : 'query-xml', action, version: params.get('Version') };
}

function formParams(request: RawRequest): Array<[string, string]> {
  const type = headerValue(request.headers, 'content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded/i.test(type)) return [];
  return parseQuery(Buffer.from(request.body).toString('utf8')) ?? [];
}

/** Checks the action and version; throws STS's own errors for anything but GetCallerIdentity. */
export function requireGetCallerIdentity(call: StsCall): void {
  if (call.protocol !== 'json' && call.version !== STS_VERSION) {
    throw new ServiceError(400, 'InvalidAction', `Could not find operation ${call.action ?? ''} for version ${call.version ?? 'NO_VERSION_SPECIFIED'}`, 'UNKNOWN_OPERATION');
  }
  if (call.action !== 'GetCallerIdentity') {
    throw new ServiceError(400, 'InvalidAction', `Could not find operation ${call.action ?? ''} for version ${STS_VERSION}`, 'UNKNOWN_OPERATION');
  }
}

export function callerIdentityAnswer(protocol: StsProtocol, credentials: IssuedCredentials, requestId: string): Answer {
  const identity = { Arn: credentials.assumedRoleArn, UserId: credentials.assumedRoleId, Account: credentials.account };
  switch (protocol) {
    case 'json':
      return { status: 200, headers: { 'Content-Type': 'application/x-amz-json-1.0' }, body: JSON.stringify(identity) };
    case 'query-json':
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ GetCallerIdentityResponse: { GetCallerIdentityResult: identity, ResponseMetadata: { RequestId: requestId } } }),
      };
    case 'query-xml':
      return {
        status: 200,
        headers: { 'Content-Type': 'text/xml' },
        body:
          `<GetCallerIdentityResponse xmlns="${NAMESPACE}">\n` +
          `  <GetCallerIdentityResult>\n` +
          `    <Arn>${xmlEscape(identity.Arn)}</Arn>\n` +
          `    <UserId>${xmlEscape(identity.UserId)}</UserId>\n` +
          `    <Account>${identity.Account}</Account>\n` +
          `  </GetCallerIdentityResult>\n` +
          `  <ResponseMetadata>\n` +
          `    <RequestId>${requestId}</RequestId>\n` +
          `  </ResponseMetadata>\n` +
          `</GetCallerIdentityResponse>\n`,
      };
  }
}

export function stsErrorAnswer(protocol: StsProtocol, error: ServiceError, requestId: string): Answer {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  switch (protocol) {
    case 'json':
      return {
        status: error.status,
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'x-amzn-query-error': `${error.code};${type}`,
        },
        body: JSON.stringify({ __type: `com.amazonaws.sts#${error.code}`, message: error.message }),
      };
    case 'query-json':
      return {
        status: error.status,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Error: { Code: error.code, Message: error.message, Type: type }, RequestId: requestId }),
      };
    case 'query-xml':
      return {
        status: error.status,
        headers: { 'Content-Type': 'text/xml' },
        body:
          `<ErrorResponse xmlns="${NAMESPACE}">\n` +
          `  <Error>\n` +
          `    <Type>${type}</Type>\n` +
          `    <Code>${xmlEscape(error.code)}</Code>\n` +
          `    <Message>${xmlEscape(error.message)}</Message>\n` +
          `  </Error>\n` +
          `  <RequestId>${requestId}</RequestId>\n` +
          `</ErrorResponse>\n`,
      };
  }
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
