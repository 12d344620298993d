// The two SDK clients a setup speaks through: Roles Anywhere in the setup's region and IAM (global,
// signed for us-east-1), both sending through Rolecall's injected transport and, for the sandbox or a
// private endpoint, to one explicit endpoint.
import { IAMClient } from '@aws-sdk/client-iam';
import { RolesAnywhereClient } from '@aws-sdk/client-rolesanywhere';
import type { HttpTransport } from '../platform/transport';
import type { AwsCredentials } from '../rolesanywhere/discovery';
import { transportRequestHandler } from '../rolesanywhere/sdk-request-handler';

export interface SetupClients {
  readonly rolesAnywhere: RolesAnywhereClient;
  readonly iam: IAMClient;
  destroy(): void;
}

export interface SetupClientOptions {
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly transport: HttpTransport;
  /** One endpoint for both services (the sandbox); AWS's own otherwise. */
  readonly endpoint?: string;
  readonly timeoutMs?: number;
}

const IAM_SIGNING_REGION = 'us-east-1';
const DEFAULT_TIMEOUT_MS = 30_000;

export function createSetupClients(options: SetupClientOptions): SetupClients {
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  const common = {
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    // Given explicitly so the SDK never reads the user's ~/.aws/config or environment for them.
    maxAttempts: 3,
    retryMode: 'standard',
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
  } as const;
  const requestHandler = transportRequestHandler(options.transport, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const rolesAnywhere = new RolesAnywhereClient({ ...common, region: options.region, requestHandler });
  // The IAM client is of a newer SDK release than the Roles Anywhere one; the handler's shape is the same.
  const iam = new IAMClient({ ...common, region: IAM_SIGNING_REGION, requestHandler: requestHandler as unknown as NonNullable<ConstructorParameters<typeof IAMClient>[0]>['requestHandler'] });
  return {
    rolesAnywhere,
    iam,
    destroy() {
      rolesAnywhere.destroy();
      iam.destroy();
    },
  };
}
