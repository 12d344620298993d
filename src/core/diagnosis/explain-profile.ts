// `profiles.explain`: gathers what `explain` decides from — the profile's certificate and key, the
// service's clock, and what the user's AWS credentials may read — and asks it why CreateSession fails.
import { isRolecallError, toErrorInfo, type ErrorInfo } from '../../shared/errors';
import type { Explanation, ProblemView } from '../../shared/model';
import { parseCertificates, readInputFile, type Certificate } from '../pki';
import type { HttpTransport } from '../platform/transport';
import { signingRegionOf, type ProfileDefinition } from '../profiles';
import type { AwsCredentials } from '../rolesanywhere/discovery';
import { explain } from './explain';
import { fetchFacts } from './fetch-facts';

export type ExplainCredentials = { readonly kind: 'rolecall'; readonly name: string } | { readonly kind: 'aws'; readonly profile: string };

export interface ExplainRequest {
  readonly name: string;
  /** Whose AWS credentials read the trust anchor, profile and role. */
  readonly using?: ExplainCredentials;
  /** The trust anchor's CA bundle, when GetTrustAnchor may not be read. */
  readonly caPath?: string;
  /** The role's trust policy as a file, when iam:GetRole may not be read. */
  readonly policyPath?: string;
}

export interface ExplainDeps {
  readonly definition: ProfileDefinition;
  /** Loads the key as a signing would; its failure is the key's problem. */
  readonly checkKey: () => Promise<unknown>;
  readonly credentials: (using: ExplainCredentials) => Promise<AwsCredentials>;
  /** When no `using` was given: the profile's own session if it holds one. */
  readonly ownSession: () => Promise<AwsCredentials | undefined>;
  readonly lastError?: ProblemView;
  readonly transport: HttpTransport;
  readonly timeoutMs: number;
  readonly now: () => number;
}

export async function explainProfile(request: ExplainRequest, deps: ExplainDeps): Promise<Explanation> {
  const { definition } = deps;
  const [leaf, ...rest] = parseCertificates(definition.certificatePem);
  const chain = definition.chainPem.flatMap((pem) => parseCertificates(pem));
  const keyProblem = await deps.checkKey().then(
    () => undefined,
    (error: unknown): ErrorInfo => toErrorInfo(error),
  );

  let credentials: AwsCredentials | undefined;
  let noCredentials = 'no AWS credentials were given to read it with';
  try {
    credentials = request.using ? await deps.credentials(request.using) : await deps.ownSession();
  } catch (error) {
    if (!isRolecallError(error)) throw error;
    const info = error.toInfo();
    noCredentials = `the credentials ${describeUsing(request.using)} could not be had: ${info.message}${info.detail ? ` (${info.detail})` : ''}`;
  }

  const caFile = request.caPath === undefined ? undefined : { path: request.caPath, certificates: parseCertificates(await readInputFile(request.caPath, 'CA file')) };
  const policy = request.policyPath === undefined ? undefined : { document: (await readInputFile(request.policyPath, 'trust policy file')).toString('utf8'), source: `the trust policy in ${request.policyPath}` };
  const anchorRegion = definition.trustAnchorArn.split(':')[3] ?? '';
  const fetched = await fetchFacts({
    trustAnchorArn: definition.trustAnchorArn,
    profileArn: definition.profileArn,
    roleArn: definition.roleArn,
    region: anchorRegion,
    ...(definition.endpoint !== undefined && { endpoint: definition.endpoint }),
    ...(credentials && { credentials }),
    noCredentials,
    ...(caFile && { caFile }),
    transport: deps.transport,
    timeoutMs: deps.timeoutMs,
  });

  return explain({
    name: definition.name,
    trustAnchorArn: definition.trustAnchorArn,
    profileArn: definition.profileArn,
    roleArn: definition.roleArn,
    signingRegion: signingRegionOf(definition),
    durationSeconds: definition.durationSeconds,
    ...(definition.roleSessionName !== undefined && { roleSessionName: definition.roleSessionName }),
    leaf: leaf as Certificate,
    chain: [...rest, ...chain],
    ...(keyProblem && { keyProblem }),
    now: deps.now(),
    ...fetched,
    ...(policy && { policy }),
    ...(deps.lastError && { lastError: deps.lastError }),
  });
}

function describeUsing(using: ExplainCredentials | undefined): string {
  if (!using) return 'of the profile\'s own session';
  return using.kind === 'aws' ? `of AWS CLI profile ${using.profile}` : `of Rolecall profile ${using.name}`;
}
