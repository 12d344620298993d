// What every group of the agent's handlers shares: the services createRolecall builds once, and a few
// helpers over them. Each group takes this and what only it needs.
import type { CredentialsOutput, EventName, EventPayload } from '../../shared/contract';
import type { AgentInfo, ProfileView, Settings } from '../../shared/model';
import type { ExplainCredentials } from '../diagnosis/explain-profile';
import type { Logger } from '../log';
import type { Clock } from '../platform/clock';
import type { HttpTransport } from '../platform/transport';
import type { DraftRegistry, ProfileDefinition, ProfileManager, ProfileRepository } from '../profiles';
import type { AwsCredentials } from '../rolesanywhere/discovery';
import type { SessionManager, SessionState } from '../sessions';
import type { JsonDocument } from '../store/json-document';
import type { ProfileDirectory } from './profile-directory';

/** Sends an event to every subscriber (the socket's clients, the app's window). */
export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface OperationContext {
  readonly info: AgentInfo;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly transport: HttpTransport;
  readonly profiles: ProfileManager;
  readonly repository: ProfileRepository;
  readonly drafts: DraftRegistry;
  readonly directory: ProfileDirectory;
  readonly sessions: SessionManager;
  readonly settings: JsonDocument<Settings>;
  readonly emit: Emit;
  /** The deadline of one exchange with AWS, as the settings say. */
  requestTimeoutMs(): Promise<number>;
  viewOf(definition: ProfileDefinition, state?: SessionState): ProfileView;
  /** A profile's session with more than `minValiditySeconds` left (15 minutes unless given), minted when needed. */
  credentialsFor(name: string, minValiditySeconds?: number): Promise<CredentialsOutput>;
  /** Credentials that read Roles Anywhere and IAM: an active Rolecall profile's session or an AWS CLI profile's. */
  awsCredentials(source: ExplainCredentials): Promise<AwsCredentials>;
}
