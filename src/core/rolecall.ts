// The composition root: builds Rolecall's service from its parts and answers every operation of the
// contract that the agent owns. Hosts (the Electron main process, the headless `rolecall agent`, tests)
// call createRolecall with the outside world — clock, HTTP transport, keychain, logger, paths — and add
// only what needs their platform (dialogs, the clipboard, the sandbox, stopping the process).
// The handlers are built per group in ./operations, each from the shared OperationContext.
import { isRolecallError } from '../shared/errors';
import type { AgentInfo, DemoSandboxInfo, SandboxTrustedCa } from '../shared/model';
import type { HostEventListener, OperationHandlers } from './agent';
import type { SetupSandbox } from './aws-setup/setup-operations';
import { CertificateRenewal, LocalCaManager } from './ca';
import { CertificateManager } from './certificates';
import type { Logger } from './log';
import { agentOperations } from './operations/agent';
import type { Emit, OperationContext } from './operations/context';
import { diagnosisOperations } from './operations/diagnosis';
import { runBefore, type AgentHandlers } from './operations/handler-table';
import { importDiscoverOperations } from './operations/import-discover';
import { ProfileDirectory } from './operations/profile-directory';
import { profileOperations } from './operations/profiles';
import { resumeActivations } from './operations/resume-activations';
import { sandboxOperations } from './operations/sandbox';
import { createSessionEngine } from './operations/session-engine';
import { sessionOperations } from './operations/sessions';
import { settingsOperations } from './operations/settings';
import { setupWizardOperations } from './operations/setup';
import { terminalOperations } from './operations/terminal';
import { TokenPins } from './pkcs11';
import type { Clock } from './platform/clock';
import type { HttpTransport } from './platform/transport';
import { openProfiles } from './profiles/open-profiles';
import { resolveAwsProfileCredentials } from './rolesanywhere/aws-profile-credentials';
import type { SecretStore } from './secrets';
import { DEFAULT_MIN_VALIDITY_SECONDS, type SessionState } from './sessions';
import { credentialsOutput } from './sessions/profile-minter';
import { createSettingsDocument, requestTimeoutMs } from './store/settings';
import { detectShell, type CredentialsEndpoint } from './terminal';
import { ProfileTimeline } from './timeline';

export { DEMO_PROFILE_NAME } from './operations/sandbox';
export { CREATE_SESSION_LIMIT, CREATE_SESSION_WINDOW_MS } from './operations/session-engine';

export interface RolecallOptions {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
  readonly clock: Clock;
  readonly transport: HttpTransport;
  readonly secrets: SecretStore;
  readonly logger: Logger;
  readonly host: AgentInfo['host'];
  readonly version: string;
  /** How SDKs launch the CLI, for credential_process lines: e.g. [node, /abs/bin/rolecall.mjs]. */
  readonly cliCommand: readonly string[];
  readonly random?: () => number;
  readonly pid?: number;
  /** Starts (or reuses) the local sandbox with its demo PKI; absent where the host offers no sandbox. */
  readonly startDemoSandbox?: () => Promise<DemoSandboxInfo>;
  /** Has that sandbox trust a CA bundle (PEM) read from `source`, restarting it; absent with startDemoSandbox. */
  readonly trustSandboxCa?: (pem: string, source: string) => Promise<SandboxTrustedCa>;
  /** That sandbox's control plane and admin key for the setup wizard, starting it when it is not running. */
  readonly setupSandbox?: () => Promise<SetupSandbox>;
  /** The headless host stops when the app takes over. */
  readonly onHandOver?: () => void;
}

export interface Rolecall {
  readonly info: AgentInfo;
  /** Every operation the agent answers (an AgentHandlers table), seen as the dispatchers take it. */
  readonly handlers: OperationHandlers;
  subscribe(listener: HostEventListener): () => void;
  /** Something to keep the agent alive for: an active session or a running endpoint. */
  isBusy(): boolean;
  /** Re-check every profile now (resume from sleep, clock jump). */
  recheck(): void;
  close(): Promise<void>;
}

const ACTIVE_STATUSES: ReadonlySet<SessionState['status']> = new Set(['activating', 'active', 'refreshing']);

export async function createRolecall(options: RolecallOptions): Promise<Rolecall> {
  const { clock, logger } = options;
  const { repository, drafts, awsPaths, profiles } = openProfiles(options);
  const certificates = new CertificateManager({ dataDir: options.dataDir, secrets: options.secrets, clock });
  const cas = new LocalCaManager({ dataDir: options.dataDir, secrets: options.secrets, clock, certificates });
  const settings = createSettingsDocument(options.dataDir, detectShell({ env: options.env, platform: options.platform }));
  const info: AgentInfo = {
    pid: options.pid ?? process.pid,
    host: options.host,
    version: options.version,
    startedAt: new Date(clock.now()).toISOString(),
    dataDir: options.dataDir,
  };
  const timeoutMs = () => requestTimeoutMs(settings, logger);

  // An agent that started on an unreadable store resumes its activations once the user has repaired it.
  const directory: ProfileDirectory = new ProfileDirectory(profiles, () => resumeActivations({ repository, directory, sessions, delivery: profiles.delivery, logger }));
  // PINs of token profiles the user gave this agent: memory only, gone when the agent exits.
  const tokenPins = new TokenPins();
  const timeline = new ProfileTimeline({ dataDir: options.dataDir, logger });
  const sessions = createSessionEngine({ ...options, profiles, repository, awsPaths, directory, timeline, tokenPins, requestTimeoutMs: timeoutMs });

  try {
    await directory.reload();
  } catch (error) {
    // The agent still starts: every operation that needs the store then answers with its error (the
    // file and how to repair it) instead of the CLI seeing an agent that never came up.
    if (!isRolecallError(error) || !error.code.startsWith('STORE_')) throw error;
    logger.error('could not read the profile store', { code: error.code, detail: error.detail });
  }

  const listeners = new Set<HostEventListener>();
  const emit: Emit = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  const context: OperationContext = {
    info,
    clock,
    logger,
    transport: options.transport,
    profiles,
    repository,
    drafts,
    directory,
    sessions,
    settings,
    emit,
    requestTimeoutMs: timeoutMs,
    viewOf: (definition, state = sessions.state(definition.name)) => profiles.view(definition, state),
    credentialsFor: async (name, minValiditySeconds = DEFAULT_MIN_VALIDITY_SECONDS) => {
      const definition = directory.require(name);
      return credentialsOutput(await sessions.credentials(name, minValiditySeconds), definition);
    },
    awsCredentials: async (source) => {
      const found = source.kind === 'rolecall' ? await context.credentialsFor(source.name, 60) : await resolveAwsProfileCredentials(source.profile, { env: options.env, homedir: options.homedir });
      return { accessKeyId: found.accessKeyId, secretAccessKey: found.secretAccessKey, ...(found.sessionToken && { sessionToken: found.sessionToken }) };
    },
  };
  sessions.on('state', (state) => {
    const definition = directory.get(state.name);
    if (definition) emit('profile.changed', context.viewOf(definition, state));
  });

  const renewal = new CertificateRenewal({
    certificates,
    cas: cas.records,
    profiles: repository,
    secrets: options.secrets,
    clock,
    logger,
    sameKey: async () => (await settings.read()).renewWithSameKey === true,
    sessions: {
      async refreshIfActive(name) {
        if (sessions.state(name).status !== 'inactive') await sessions.refresh(name);
      },
    },
    onProfileChanged: (definition) => {
      directory.set(definition);
      emit('profile.changed', context.viewOf(definition));
    },
    onRenewal: (event) => emit('certificate.renewal', event),
  });
  renewal.recheck();

  const endpoints = new Map<string, CredentialsEndpoint>();
  const profileHandlers = profileOperations(context, { tokenPins, certificates });
  const sessionHandlers = sessionOperations(context, tokenPins);
  const handlers: AgentHandlers = {
    // These need no profile store: they answer even while it cannot be read.
    ...agentOperations(context, options.onHandOver),
    ...settingsOperations(context),
    // While the store is unreadable these answer with its error (the file and how to repair it), and
    // try it again each time, so a repaired file is picked up at once.
    ...runBefore(
      {
        ...profileHandlers,
        ...sessionHandlers,
        ...terminalOperations(context, endpoints),
        ...importDiscoverOperations(context, { awsPaths, cliCommand: options.cliCommand, platform: options.platform, homedir: options.homedir, addFromToken: profileHandlers['profiles.addFromToken'] }),
        ...diagnosisOperations(context, { timeline, secrets: options.secrets, awsPaths }),
        ...sandboxOperations(context, options),
        ...setupWizardOperations(context, { ...options, certificates, cas, handlers: { ...profileHandlers, ...sessionHandlers } }),
      },
      () => directory.retryIfUnreadable(),
    ),
  };

  return {
    info,
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // A profile that failed with no retry planned has nothing left to do: it does not keep the agent up.
    isBusy: () => endpoints.size > 0 || sessions.states().some((state) => ACTIVE_STATUSES.has(state.status) || state.nextRefreshAt !== undefined),
    recheck: () => {
      sessions.recheck();
      renewal.recheck();
    },
    async close() {
      sessions.close();
      renewal.close();
      await timeline.flush();
      await Promise.all([...endpoints.values()].map((endpoint) => endpoint.stop()));
      endpoints.clear();
    },
  };
}
