// The composition root: builds Rolecall's service from its parts and answers every operation of the
// contract that the agent owns. Hosts (the Electron main process, the headless `rolecall agent`, tests)
// call createRolecall with the outside world — clock, HTTP transport, keychain, logger, paths — and add
// only what needs their platform (dialogs, the clipboard, the sandbox, stopping the process).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CredentialsOutput, EndpointInfo, OperationName, OperationOutput } from '../shared/contract';
import { isRolecallError, RolecallError, type ErrorCode } from '../shared/errors';
import type { AgentInfo, AppState, DemoSandboxInfo, ProfileView, SandboxTrustedCa, Settings } from '../shared/model';
import type { HostEventListener, OperationHandlers, ParsedInput } from './agent';
import { setupOperations, type SetupSandbox } from './aws-setup/setup-operations';
import { awsFilePaths } from './awsfiles';
import { CertificateRenewal, LocalCaManager } from './ca';
import { CertificateManager } from './certificates';
import { consoleSignIn } from './console';
import { explainProfile, type ExplainCredentials } from './diagnosis/explain-profile';
import { certificateOperations } from './certificates/certificate-operations';
import { doctorCheck } from './doctor/profile-checks';
import type { Logger } from './log';
import { Certificate, hasPemMarkers, parseCertificates, readInputFile, splitPem, toPem } from './pki';
import { listTokens, parsePkcs11Uri, TokenPins, withoutPinValue, withTokenKey } from './pkcs11';
import type { Clock } from './platform/clock';
import type { HttpTransport } from './platform/transport';
import { DraftRegistry, ProfileManager, ProfileRepository, signingRegionOf, type ProfileDefinition } from './profiles';
import { holdsDelivery } from './profiles/delivery-check';
import { unknownProfile } from './profiles/unknown-profile';
import { applyImport, prepareImport } from './profiles/import';
import { resolveAwsProfileCredentials } from './rolesanywhere/aws-profile-credentials';
import { discoverRolesAnywhere } from './rolesanywhere/discovery';
import type { SecretStore } from './secrets';
import { CreateSessionLimiter, KeychainSessionCache, SessionManager, type SessionState } from './sessions';
import { cacheScope, createMinter, credentialsOutput, DEFAULT_MIN_VALIDITY_SECONDS } from './sessions/profile-minter';
import { createSettingsDocument, requestTimeoutMs } from './store/settings';
import { detectShell, renderEnv, startCredentialsEndpoint, type CredentialsEndpoint } from './terminal';
import { ProfileTimeline } from './timeline';

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
  readonly handlers: OperationHandlers;
  subscribe(listener: HostEventListener): () => void;
  /** Something to keep the agent alive for: an active session or a running endpoint. */
  isBusy(): boolean;
  /** Re-check every profile now (resume from sleep, clock jump). */
  recheck(): void;
  close(): Promise<void>;
}

/** Roles Anywhere's per-second CreateSession window, with a margin for network jitter (see below). */
export const CREATE_SESSION_WINDOW_MS = 1100;
/** Calls granted per window: one under the service's 10, as headroom for calls that arrive bunched. */
export const CREATE_SESSION_LIMIT = 9;
export const DEMO_PROFILE_NAME = 'rolecall-sandbox';
const ACTIVE_STATUSES: ReadonlySet<SessionState['status']> = new Set(['activating', 'active', 'refreshing']);

export async function createRolecall(options: RolecallOptions): Promise<Rolecall> {
  const { clock, logger } = options;
  const awsPaths = awsFilePaths(options.env, options.homedir);
  const repository = new ProfileRepository({ dataDir: options.dataDir, logger });
  const drafts = new DraftRegistry({ clock });
  const certificates = new CertificateManager({ dataDir: options.dataDir, secrets: options.secrets, clock });
  const cas = new LocalCaManager({ dataDir: options.dataDir, secrets: options.secrets, clock, certificates });
  const profiles = new ProfileManager({
    repository,
    drafts,
    secrets: options.secrets,
    awsPaths,
    clock,
    logger,
    cliCommand: options.cliCommand,
    platform: options.platform,
  });
  const settings = createSettingsDocument(options.dataDir, detectShell({ env: options.env, platform: options.platform }));
  const info: AgentInfo = {
    pid: options.pid ?? process.pid,
    host: options.host,
    version: options.version,
    startedAt: new Date(clock.now()).toISOString(),
    dataDir: options.dataDir,
  };

  // Definitions kept in memory: the session engine asks for regions and auto-refresh synchronously.
  const definitions = new Map<string, ProfileDefinition>();
  let resumed = false;
  /** Why the profile store could not be read, until a read succeeds again. */
  let storeProblem: RolecallError | undefined;
  const reloadDefinitions = async (): Promise<ProfileDefinition[]> => {
    let list: ProfileDefinition[];
    try {
      list = await profiles.list();
    } catch (error) {
      if (isRolecallError(error) && error.code.startsWith('STORE_')) storeProblem = error;
      throw error;
    }
    storeProblem = undefined;
    definitions.clear();
    for (const definition of list) definitions.set(definition.name, definition);
    // An agent that started on an unreadable store resumes once the user has repaired it.
    if (!resumed) {
      resumed = true;
      await resumeActivations();
    }
    return list;
  };
  const definitionOf = (name: string): ProfileDefinition => {
    const definition = definitions.get(name);
    if (!definition) throw unknownProfile(name, definitions.keys());
    return definition;
  };

  // PINs of token profiles the user gave this agent: memory only, gone when the agent exits.
  const tokenPins = new TokenPins();
  const mint = createMinter(profiles, options, () => requestTimeoutMs(settings, logger), tokenPins);
  const delivery = profiles.delivery;
  const timeline = new ProfileTimeline({ dataDir: options.dataDir, logger });

  const sessions = new SessionManager({
    minter: { mint, regionOf: (name) => signingRegionOf(definitionOf(name)) },
    delivery: {
      deliver: (name, credentials) => delivery.deliver(name, credentials),
      withdraw: (name) => delivery.withdraw(name),
      isDelivered: (name, credentials) => holdsDelivery(definitionOf(name), credentials, { repository, awsPaths, commandFor: (profile) => delivery.commandFor(profile) }),
    },
    // The service counts requests as they arrive, not as they were granted here: a batch released the
    // moment the previous one leaves the window arrives sooner than that one's last call did (signing
    // and connecting take turns on one thread), and is throttled. 100 ms covers that: with 50 profiles
    // due at once (bench/agent.bench.ts) a 1,000 ms window drew dozens of 429s, this one none. On a
    // loaded machine 200 profiles still drew 12 in one second at the service (bench, 2 cores busy with
    // tests), so one slot of the ten is kept back as well.
    limiter: new CreateSessionLimiter(clock, { windowMs: CREATE_SESSION_WINDOW_MS, limit: CREATE_SESSION_LIMIT }),
    clock,
    cache: new KeychainSessionCache(options.secrets, cacheScope(options.dataDir)),
    logger,
    ...(options.random && { random: options.random }),
    autoRefresh: (name) => definitions.get(name)?.autoRefresh ?? false,
    timeline,
  });

  /**
   * Activations are durable: what the user activated in an earlier run (before a crash, a stop, an
   * upgrade or a reboot) is taken up again before the agent answers anyone, and a delivery left behind
   * by a deactivation that was cut short is withdrawn.
   */
  async function resumeActivations(): Promise<void> {
    const [activations, records] = await Promise.all([repository.activations(), repository.deliveries()]);
    const active = new Set(activations.map((activation) => activation.name));
    await Promise.all([
      ...activations.filter((activation) => definitions.has(activation.name)).map((activation) => sessions.resume(activation.name, { deliveredBefore: records.some((record) => record.name === activation.name) })),
      ...records.filter((record) => !active.has(record.name)).map(async (record) => {
        try {
          await delivery.withdraw(record.name);
          logger.info('withdrew a delivery left by an interrupted deactivation', { profile: record.name });
        } catch (error) {
          logger.warn('could not withdraw a delivery left behind', { profile: record.name, code: isRolecallError(error) ? error.code : 'INTERNAL' });
        }
      }),
    ]);
    if (activations.length > 0) logger.info('resumed activations', { count: activations.length });
    sessions.recheck();
  }

  try {
    await reloadDefinitions();
  } catch (error) {
    // The agent still starts: every operation that needs the store then answers with its error (the
    // file and how to repair it) instead of the CLI seeing an agent that never came up.
    if (!isRolecallError(error) || !error.code.startsWith('STORE_')) throw error;
    logger.error('could not read the profile store', { code: error.code, detail: error.detail });
  }

  const listeners = new Set<HostEventListener>();
  const emit = (event: string, payload: unknown) => {
    for (const listener of listeners) listener(event, payload);
  };
  const viewOf = (definition: ProfileDefinition, state: SessionState = sessions.state(definition.name)): ProfileView => profiles.view(definition, state);
  sessions.on('state', (state) => {
    const definition = definitions.get(state.name);
    if (definition) emit('profile.changed', viewOf(definition, state));
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
      definitions.set(definition.name, definition);
      emit('profile.changed', viewOf(definition));
    },
    onRenewal: (event) => emit('certificate.renewal', event),
  });
  renewal.recheck();

  const endpoints = new Map<string, CredentialsEndpoint>();

  const credentialsFor = async (name: string, minValiditySeconds = DEFAULT_MIN_VALIDITY_SECONDS): Promise<CredentialsOutput> => {
    const definition = definitionOf(name);
    return credentialsOutput(await sessions.credentials(name, minValiditySeconds), definition);
  };

  /** After an edit or rename that changed what the AWS files hold for a profile. */
  const redeliver = async (name: string): Promise<void> => {
    if (sessions.state(name).status === 'inactive') await profiles.delivery.withdraw(name);
    else await sessions.refresh(name);
  };

  const setup = setupOperations({
    dataDir: options.dataDir,
    env: options.env,
    homedir: options.homedir,
    transport: options.transport,
    certificates,
    cas,
    timeoutMs: () => requestTimeoutMs(settings, logger),
    ...(options.setupSandbox && { sandbox: options.setupSandbox }),
    existingProfile: (name) => {
      const definition = definitions.get(name);
      return definition && viewOf(definition);
    },
    addProfile: async (name, certificate, arns) => {
      const draft = await handlers['drafts.fromCertificate']({ name: certificate });
      const [problem] = draft.problems;
      if (problem) throw new RolecallError(problem.code as ErrorCode, problem.detail);
      return handlers['profiles.add']({ name, draftId: draft.draftId, ...arns });
    },
    activate: (name) => handlers['sessions.activate']({ name }),
  });

  const handlers: HandlerTable = {
    ...certificateOperations({ certificates, cas, clock }),
    ...setup,
    async 'state.get'(): Promise<AppState> {
      const list = await reloadDefinitions();
      return { profiles: list.map((definition) => viewOf(definition)), settings: await settings.read(), agent: info };
    },
    async 'profiles.get'({ name }) {
      await reloadDefinitions();
      return viewOf(definitionOf(name));
    },
    async 'profiles.add'(input) {
      const definition = await profiles.add(input);
      definitions.set(definition.name, definition);
      const view = viewOf(definition);
      emit('profile.changed', view);
      return view;
    },
    async 'profiles.addFromToken'(input) {
      const { certificateUri, certificatePath, privateKeyUri, modulePath, pin, keepPin, ...fields } = input;
      if (certificateUri === undefined && privateKeyUri === undefined) throw new RolecallError('USAGE', 'a profile on a token needs a pkcs11: URI for its certificate or its key');
      const fileLeaf = certificatePath === undefined ? undefined : onlyLeaf(await readInputFile(certificatePath, 'certificate file'));
      if (certificateUri === undefined && fileLeaf === undefined) throw new RolecallError('USAGE', 'give the certificate: a pkcs11: URI or its file');
      const found = await withTokenKey(
        {
          certificate: certificateUri !== undefined ? { uri: parsePkcs11Uri(certificateUri) } : { der: (fileLeaf as Certificate).der },
          ...(privateKeyUri !== undefined && { privateKey: parsePkcs11Uri(privateKeyUri) }),
          ...(modulePath !== undefined && { modulePath }),
          ...(pin !== undefined && { pin }),
          reusePin: true,
        },
        async (key) => ({ certificateDer: key.certificateDer, chainDer: key.chainDer, pin: key.pin }),
      );
      const definition = await profiles.addWithTokenKey({
        ...fields,
        leaf: Certificate.fromDer(found.certificateDer),
        chain: found.chainDer.map((der) => Certificate.fromDer(der)),
        source: {
          kind: 'pkcs11',
          ...(certificateUri !== undefined && { certificateUri: withoutPinValue(certificateUri) }),
          ...(privateKeyUri !== undefined && { privateKeyUri: withoutPinValue(privateKeyUri) }),
          ...(modulePath !== undefined && { modulePath }),
        },
        ...(keepPin === true && found.pin !== undefined && { pinToKeep: found.pin }),
      });
      if (found.pin !== undefined) tokenPins.give(definition.name, found.pin);
      definitions.set(definition.name, definition);
      const view = viewOf(definition);
      emit('profile.changed', view);
      return view;
    },
    async 'profiles.edit'(input) {
      const change = await profiles.edit(input);
      definitions.set(change.definition.name, change.definition);
      if (change.redeliver || input.draftId !== undefined) await redeliver(input.name);
      sessions.recheck();
      const view = viewOf(change.definition);
      emit('profile.changed', view);
      return view;
    },
    async 'profiles.rename'({ name, newName, force }) {
      const change = await profiles.rename(name, newName, force === undefined ? {} : { force });
      definitions.delete(name);
      definitions.set(newName, change.definition);
      await sessions.rename(name, newName);
      tokenPins.rename(name, newName);
      emit('profile.removed', { name });
      const view = viewOf(change.definition);
      emit('profile.changed', view);
      return view;
    },
    async 'profiles.remove'({ name }) {
      definitionOf(name);
      await sessions.forget(name);
      await profiles.remove(name);
      tokenPins.forget(name);
      definitions.delete(name);
      emit('profile.removed', { name });
      return { removed: name };
    },
    async 'profiles.explain'({ name, using, caPath, policyPath }) {
      await reloadDefinitions();
      const definition = definitionOf(name);
      const state = sessions.state(name);
      const awsCredentials = async (source: ExplainCredentials) => {
        const found = source.kind === 'rolecall' ? await credentialsFor(source.name, 60) : await resolveAwsProfileCredentials(source.profile, { env: options.env, homedir: options.homedir });
        return { accessKeyId: found.accessKeyId, secretAccessKey: found.secretAccessKey, ...(found.sessionToken && { sessionToken: found.sessionToken }) };
      };
      return explainProfile(
        { name, ...(using && { using }), ...(caPath !== undefined && { caPath }), ...(policyPath !== undefined && { policyPath }) },
        {
          definition,
          checkKey: () => profiles.signingMaterial(name),
          credentials: awsCredentials,
          // Only a session the profile already holds: minting one here would repeat the failure being explained.
          ownSession: async () => (state.status === 'active' ? awsCredentials({ kind: 'rolecall', name }) : undefined),
          ...(state.lastError && { lastError: state.lastError }),
          transport: options.transport,
          timeoutMs: await requestTimeoutMs(settings, logger),
          now: () => clock.now(),
        },
      );
    },
    async 'drafts.open'(input) {
      return drafts.open(input);
    },
    async 'drafts.unlock'({ draftId, passphrase }) {
      return drafts.unlock(draftId, passphrase);
    },
    async 'drafts.fromCertificate'({ name }) {
      const record = await certificates.get(name);
      return drafts.adopt(await certificates.credentials(name), { certificateName: name, ...(record.key.kind === 'file' && { keyPath: record.key.path }) });
    },
    async 'drafts.forProfileKey'({ name, privateKeyPath, passphrase }) {
      await reloadDefinitions();
      return drafts.openKeyFor(definitionOf(name), privateKeyPath, passphrase);
    },
    async 'sessions.givePin'({ name, pin }) {
      const definition = definitionOf(name);
      if (definition.key.kind !== 'pkcs11') throw new RolecallError('USAGE', `${name} does not keep its key on a PKCS#11 token`);
      tokenPins.give(name, pin);
      // A profile that keeps its PIN keeps the new one; should the token refuse it, the next mint drops it.
      await profiles.replaceKeptPin(definition.key, pin);
      return viewOf(definition);
    },
    async 'tokens.list'({ modulePath }) {
      return listTokens(modulePath);
    },
    async 'sessions.activate'({ name }) {
      definitionOf(name);
      // Recorded while the session is minted, not after it, so an agent that dies while activating
      // resumes the activation when it starts; the store write costs the activation no time.
      const [recorded, activated] = await Promise.allSettled([repository.setActivated(name, true, new Date(clock.now())), sessions.activate(name)]);
      if (activated.status === 'rejected') throw activated.reason;
      if (recorded.status === 'rejected') throw recorded.reason;
      return viewOf(definitionOf(name), activated.value);
    },
    async 'sessions.deactivate'({ name }) {
      // Recorded first: an agent that dies while withdrawing finishes the withdrawal when it starts.
      if (definitions.has(name)) await repository.setActivated(name, false, new Date(clock.now()));
      const state = await sessions.deactivate(name);
      return viewOf(definitionOf(name), state);
    },
    async 'sessions.refresh'({ name }) {
      definitionOf(name);
      const state = await sessions.refresh(name);
      return viewOf(definitionOf(name), state);
    },
    async 'sessions.refreshAll'() {
      const states = await sessions.refreshAll();
      return states.flatMap((state) => {
        const definition = definitions.get(state.name);
        return definition ? [viewOf(definition, state)] : [];
      });
    },
    async 'credentials.get'({ name, minValiditySeconds }) {
      return credentialsFor(name, minValiditySeconds);
    },
    async 'env.render'({ name, shell }) {
      return { script: renderEnv(await credentialsFor(name), shell) };
    },
    async 'endpoint.start'({ names, imds, port }): Promise<EndpointInfo> {
      for (const name of names) definitionOf(name);
      const endpoint = await startCredentialsEndpoint({
        provider: async (name) => ({ ...(await credentialsFor(name)), roleArn: definitionOf(name).roleArn }),
        names,
        logger,
        clock,
        ...(port !== undefined && { port }),
        ...(imds && { imds: {} }),
      });
      const id = randomUUID();
      endpoints.set(id, endpoint);
      for (const warning of endpoint.warnings) logger.warn(warning);
      return { id, urls: endpoint.urls, token: endpoint.token, ...(endpoint.imdsUrl !== undefined && { imdsUrl: endpoint.imdsUrl }) };
    },
    async 'endpoint.stop'({ id }) {
      const endpoint = endpoints.get(id);
      if (!endpoint) return { stopped: false };
      endpoints.delete(id);
      await endpoint.stop();
      return { stopped: true };
    },
    async 'import.preview'() {
      const prepared = await prepareImport(importOptions(await reloadDefinitions()));
      return prepared.plan;
    },
    async 'import.apply'({ awsProfiles, passphrases }) {
      const prepared = await prepareImport(importOptions(await reloadDefinitions()));
      const result = await applyImport(prepared, { awsProfiles, ...(passphrases && { passphrases }) }, {
        addProfile: async (line) => {
          const draft = await drafts.open({
            certificatePath: line.certificatePath,
            ...(line.privateKeyPath !== undefined && { privateKeyPath: line.privateKeyPath }),
            ...(line.intermediatesPath !== undefined && { intermediatesPath: line.intermediatesPath }),
            ...(line.passphrase !== undefined && { passphrase: line.passphrase }),
          });
          if (!draft.unlocked) throw new RolecallError('KEY_PASSPHRASE_REQUIRED', `${line.name}: give its passphrase to import it`);
          const definition = await profiles.add({
            name: line.name,
            draftId: draft.draftId,
            trustAnchorArn: line.trustAnchorArn,
            profileArn: line.profileArn,
            roleArn: line.roleArn,
            delivery: 'process',
            // The line being replaced is Rolecall's to rewrite: it ran aws_signing_helper or rolecall.
            force: true,
            ...(line.region !== undefined && { signingRegion: line.region }),
            ...(line.durationSeconds !== undefined && { durationSeconds: line.durationSeconds }),
            ...(line.roleSessionName !== undefined && { roleSessionName: line.roleSessionName }),
            ...(line.endpoint !== undefined && { endpoint: line.endpoint }),
          });
          definitions.set(definition.name, definition);
        },
        keepOriginals: async (configPath, originals) => {
          for (const [name, original] of originals) await profiles.delivery.keepImported(name, configPath, original);
        },
      });
      for (const name of result.imported) {
        const definition = definitions.get(name);
        if (definition) emit('profile.changed', viewOf(definition));
      }
      return result;
    },
    async 'discover.list'({ using, region, endpoint }) {
      const credentials =
        using.kind === 'rolecall' ? await credentialsFor(using.name, 60) : await resolveAwsProfileCredentials(using.profile, { env: options.env, homedir: options.homedir });
      const discoveryEndpoint = endpoint ?? (using.kind === 'rolecall' ? definitionOf(using.name).endpoint : undefined);
      return discoverRolesAnywhere(
        {
          region,
          credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(credentials.sessionToken && { sessionToken: credentials.sessionToken }) },
          ...(discoveryEndpoint !== undefined && { endpoint: discoveryEndpoint }),
        },
        { transport: options.transport, timeoutMs: await requestTimeoutMs(settings, logger) },
      );
    },
    async 'settings.get'() {
      return settings.read();
    },
    async 'settings.set'(changes) {
      const next: Settings = await settings.update((current) => ({
        ...current,
        ...(changes.startAtLogin !== undefined && { startAtLogin: changes.startAtLogin }),
        ...(changes.notifications !== undefined && { notifications: changes.notifications }),
        ...(changes.defaultShell !== undefined && { defaultShell: changes.defaultShell }),
        ...(changes.requestTimeoutSeconds !== undefined && { requestTimeoutSeconds: changes.requestTimeoutSeconds }),
        ...(changes.renewWithSameKey !== undefined && { renewWithSameKey: changes.renewWithSameKey }),
      }));
      emit('settings.changed', next);
      return next;
    },
    async 'sandbox.startDemo'() {
      if (!options.startDemoSandbox) throw new RolecallError('NOT_SUPPORTED_YET', 'this host offers no local sandbox');
      const demo = await options.startDemoSandbox();
      await reloadDefinitions();
      const draft = await drafts.open({ certificatePath: demo.certificatePath, privateKeyPath: demo.privateKeyPath, intermediatesPath: demo.intermediatesPath });
      const existing = definitions.get(DEMO_PROFILE_NAME);
      let definition: ProfileDefinition;
      if (existing) {
        // The sandbox listens on a new port each time it starts, and its demo PKI may be new.
        definition = (await profiles.edit({ name: DEMO_PROFILE_NAME, draftId: draft.draftId, endpoint: demo.endpoint, trustAnchorArn: demo.trustAnchorArn, profileArn: demo.profileArn, roleArn: demo.roleArn })).definition;
      } else {
        definition = await profiles.add(
          { name: DEMO_PROFILE_NAME, draftId: draft.draftId, trustAnchorArn: demo.trustAnchorArn, profileArn: demo.profileArn, roleArn: demo.roleArn, endpoint: demo.endpoint, durationSeconds: 3600 },
          { credentialsFile: join(demo.dir, 'credentials'), configFile: join(demo.dir, 'config') },
        );
      }
      definitions.set(definition.name, definition);
      await repository.setActivated(DEMO_PROFILE_NAME, true, new Date(clock.now()));
      const state = await sessions.activate(DEMO_PROFILE_NAME);
      return viewOf(definition, state);
    },
    async 'sandbox.trustCa'({ caPath }) {
      if (!options.trustSandboxCa) throw new RolecallError('NOT_SUPPORTED_YET', 'this host offers no local sandbox');
      const bytes = await readInputFile(caPath, 'CA file');
      // Only certificates go on: the sandbox keeps the bundle in its state file, and a CA's key kept
      // in the same file must not follow it there. A DER file is one certificate.
      const certificates = hasPemMarkers(bytes) ? splitPem(bytes, 'CERT_UNREADABLE').filter((block) => block.label === 'CERTIFICATE').map((block) => block.der) : [bytes];
      return options.trustSandboxCa(certificates.map((der) => toPem('CERTIFICATE', der)).join(''), caPath);
    },
    async 'timeline.get'({ name }) {
      definitionOf(name);
      return { events: await timeline.events(name) };
    },
    async 'console.url'({ name, destination }) {
      const definition = definitionOf(name);
      const credentials = await credentialsFor(name, 60);
      const signIn = await consoleSignIn(
        {
          credentials,
          region: definition.toolRegion ?? signingRegionOf(definition),
          ...(destination !== undefined && { destination }),
          ...(definition.endpoint !== undefined && { endpoint: definition.endpoint }),
        },
        { transport: options.transport, timeoutMs: await requestTimeoutMs(settings, logger) },
      );
      logger.info('console sign-in URL made', { profile: name, destination: signIn.destination });
      return { url: signIn.url };
    },
    async 'agent.info'() {
      return info;
    },
    async 'agent.handOver'() {
      if (!options.onHandOver) return { stopping: false };
      // Answer first: the host stops on the next turn, after this reply has been written.
      setImmediate(options.onHandOver);
      return { stopping: true };
    },
    async 'doctor.check'() {
      const list = await reloadDefinitions();
      return doctorCheck({
        info,
        now: clock.now(),
        secrets: options.secrets,
        repository,
        awsPaths,
        commandFor: (name) => delivery.commandFor(name),
        profiles: list.map((definition) => ({ definition, view: viewOf(definition) })),
      });
    },
  };

  function importOptions(existing: readonly ProfileDefinition[]) {
    return {
      configPath: awsPaths.config,
      launcher: options.cliCommand,
      platform: options.platform,
      homedir: options.homedir,
      existingProfiles: existing.map((definition) => definition.name),
    };
  }

  // While the store is unreadable every operation that needs it answers with the store's error (the
  // file and how to repair it), and tries again each time, so a repaired file is picked up at once.
  const storeFree: ReadonlySet<string> = new Set(['agent.info', 'agent.handOver', 'settings.get', 'settings.set']);
  const guarded = Object.fromEntries(
    Object.entries(handlers).map(([operation, handler]: [string, (input: never) => Promise<unknown>]) => [
      operation,
      storeFree.has(operation)
        ? handler
        : async (input: never) => {
            if (storeProblem) await reloadDefinitions();
            return handler(input);
          },
    ]),
  );

  return {
    info,
    handlers: guarded as OperationHandlers,
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

function onlyLeaf(file: Buffer): Certificate {
  const [leaf] = parseCertificates(file);
  if (!leaf) throw new RolecallError('CERT_NOT_FOUND');
  return leaf;
}

type AgentOperation = Exclude<OperationName, 'env.copy' | 'files.chooseCertificate' | 'logs.openFolder' | 'sandbox.trustChosenCa' | 'text.copy' | 'text.save' | 'console.open'>;
type HandlerTable = { readonly [N in AgentOperation]: (input: ParsedInput<N>) => Promise<OperationOutput<N>> };

