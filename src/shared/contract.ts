// The one table of operations and events. The agent socket and the renderer IPC both speak it: the
// preload and main's handlers are generated from it by a loop, the agent server dispatches on it, and
// the CLI calls it. Inputs are validated with these schemas on every side that receives them.
//
// Who may call an operation (`exposure`) lives in operations.ts, without zod, for the preload's sake.
// The renderer never receives a private key, secret access key or session token: no `both` or `app`
// operation returns one (tests check this against a live agent).
import { z } from 'zod';
import { RolecallError, type ErrorInfo } from './errors';
import { REQUEST_TIMEOUT_SECONDS } from './model';
import {
  agentInfoSchema,
  appStateSchema,
  certificateRenewalViewSchema,
  certificateRequestViewSchema,
  discoverySchema,
  doctorReportSchema,
  draftViewSchema,
  explanationSchema,
  importPlanSchema,
  importResultSchema,
  localCaViewSchema,
  profileViewSchema,
  sandboxTrustedCaSchema,
  settingsSchema,
  setupPreviewSchema,
  setupResultSchema,
  setupTextSchema,
  shellNameSchema,
  timelineEventSchema,
  tokenListingSchema,
} from './view-schemas';
import { SESSION_DURATION_SECONDS } from './limits';
import { PROFILE_NAME_PATTERN, REGION_PATTERN, SESSION_NAME_PATTERN } from './patterns';
import { OPERATION_EXPOSURE, OPERATION_NAMES, type OperationName } from './operations';

export { OPERATION_NAMES, operationsExposedTo, type Exposure, type OperationName } from './operations';


export const profileNameSchema = z
  .string()
  .regex(PROFILE_NAME_PATTERN, 'Use up to 64 letters, digits and . _ + @ - (starting with a letter or digit).');
export const shellSchema = shellNameSchema;
export const deliverySchema = z.enum(['file', 'process']);
export const keyStorageSchema = z.enum(['keychain', 'file']);
const arnText = z.string().trim().min(1).max(2048);
const regionSchema = z.string().regex(REGION_PATTERN, 'Use a region name such as us-east-1.');
const durationSchema = z.number().int().min(SESSION_DURATION_SECONDS.min).max(SESSION_DURATION_SECONDS.max);
const sessionNameSchema = z.string().regex(SESSION_NAME_PATTERN, 'Use 2 to 64 characters from letters, digits and _+=,.@-');
const endpointSchema = z.string().url();
// Shared code has no node:path: an absolute POSIX or Windows path, without NUL (which no file system takes).
const absolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path) && !path.includes('\0'), 'Use an absolute path.');
const requestTimeoutRange = `Use a whole number of seconds from ${REQUEST_TIMEOUT_SECONDS.min} to ${REQUEST_TIMEOUT_SECONDS.max}.`;
export const requestTimeoutSchema = z.number().int(requestTimeoutRange).min(REQUEST_TIMEOUT_SECONDS.min, requestTimeoutRange).max(REQUEST_TIMEOUT_SECONDS.max, requestTimeoutRange);

/** A view's schema: its keys as given (unknown ones stripped, not refused), read-only like every view. */
const view = <S extends z.ZodRawShape>(shape: S) => z.object(shape).readonly();

/** Session credentials: only ever returned by `agent` operations. */
const credentialsOutputSchema = view({
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
  sessionToken: z.string(),
  /** ISO 8601. */
  expiration: z.string(),
  toolRegion: z.string().optional(),
});
export type CredentialsOutput = z.output<typeof credentialsOutputSchema>;

const endpointInfoSchema = view({
  id: z.string(),
  /** http://127.0.0.1:PORT/... per profile. */
  urls: z.record(z.string(), z.string()).readonly(),
  /** The Authorization token for AWS_CONTAINER_AUTHORIZATION_TOKEN. */
  token: z.string(),
  /** http://127.0.0.1:9911 when IMDSv2 emulation was asked for. */
  imdsUrl: z.string().optional(),
});
export type EndpointInfo = z.output<typeof endpointInfoSchema>;

const removedSchema = view({ removed: z.string() });
const pathSchema = view({ path: z.string() });
const profileViews = z.array(profileViewSchema).readonly();

/** Names shown for the Roles Anywhere resources a profile uses (saved when they were picked by name). */
const resourceNamesSchema = z
  .object({ trustAnchor: z.string().trim().min(1).max(255).optional(), profile: z.string().trim().min(1).max(255).optional() })
  .strict();

const profileFields = {
  trustAnchorArn: arnText,
  profileArn: arnText,
  roleArn: arnText,
  signingRegion: regionSchema.optional(),
  toolRegion: regionSchema.optional(),
  durationSeconds: durationSchema.optional(),
  roleSessionName: sessionNameSchema.optional(),
  autoRefresh: z.boolean().optional(),
  delivery: deliverySchema.optional(),
  endpoint: endpointSchema.optional(),
  names: resourceNamesSchema.optional(),
};

interface OperationSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

const operation = <I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>) => spec;

// Setting up from scratch (issue 10). Names, subjects and key types are checked by the core, which
// answers with the typed error (SUBJECT_INVALID, KEY_TYPE_UNSUPPORTED, SETUP_NAME_INVALID…).
const pemText = z.string().min(1).max(256 * 1024);
const setupRequestSchema = {
  /** The setup's name: the Rolecall profile's, and the stem of the AWS resource names. */
  name: z.string().min(1).max(64),
  /** An issued certificate request: its principal tags go into the trust policy, its key into the profile. */
  certificate: profileNameSchema,
  ca: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('rolecall-ca'), name: profileNameSchema }).strict(),
    z.object({ kind: z.literal('pem'), pem: pemText }).strict(),
    z.object({ kind: z.literal('acm-pca'), arn: arnText }).strict(),
  ]),
  /** Principal tag keys the trust policy pins (x509Subject/OU…); absent: the subject's OU and CN. */
  tags: z.array(z.string().min(1).max(64)).max(32).optional(),
  roleName: z.string().min(1).max(64).optional(),
  policyArns: z.array(arnText).max(20).optional(),
  sessionSeconds: durationSchema.optional(),
};
/** Where a setup's resources are made: the local sandbox (its admin key stays in the agent), or an AWS CLI profile's account. */
const setupTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sandbox') }).strict(),
  z.object({ kind: z.literal('aws'), awsProfile: z.string().min(1).max(128), region: regionSchema }).strict(),
]);
const empty = z.object({}).strict();
const named = z.object({ name: profileNameSchema }).strict();
const consoleInput = z.object({ name: profileNameSchema, destination: z.string().trim().min(1).max(2048).optional() }).strict();

const SPECS = {
  'state.get': operation({ input: empty, output: appStateSchema, summary: 'Profiles with live status, settings, agent info' }),
  'profiles.get': operation({ input: named, output: profileViewSchema, summary: 'One profile' }),
  'profiles.add': operation({
    input: z
      .object({
        name: profileNameSchema,
        draftId: z.string().min(1),
        keyStorage: keyStorageSchema.optional(),
        /** Take over an AWS profile name that holds credentials Rolecall did not write. */
        force: z.boolean().optional(),
        ...profileFields,
      })
      .strict(),
    output: profileViewSchema,
    summary: 'Create a profile from an unlocked draft; the key goes to the keychain unless keyStorage is file',
  }),
  'profiles.addFromToken': operation({
    input: z
      .object({
        name: profileNameSchema,
        /** RFC 7512 pkcs11: URI of the certificate on the token (or of the key, with certificatePath). */
        certificateUri: z.string().min(8).max(4096).optional(),
        /** A certificate file, when only the key is on the token. */
        certificatePath: absolutePathSchema.optional(),
        privateKeyUri: z.string().min(8).max(4096).optional(),
        /** The PKCS#11 module: a path, or a library name the system's loader finds. */
        modulePath: z.string().min(1).max(4096).optional(),
        /** The token's user PIN, to find and check the key now; kept only in the agent's memory unless keepPin. */
        pin: z.string().min(1).max(256).optional(),
        /** Keep the PIN in the OS keychain so refreshes never need the user. */
        keepPin: z.boolean().optional(),
        force: z.boolean().optional(),
        ...profileFields,
      })
      .strict(),
    output: profileViewSchema,
    summary: 'Create a profile whose key never leaves a PKCS#11 token: the agent finds the certificate and key and proves they match',
  }),
  'profiles.edit': operation({
    input: z
      .object({
        name: profileNameSchema,
        /** Rename in the same change: the edit and the rename are saved together or not at all. */
        newName: profileNameSchema.optional(),
        /** A new certificate/key (rotation). */
        draftId: z.string().min(1).optional(),
        keyStorage: keyStorageSchema.optional(),
        force: z.boolean().optional(),
        trustAnchorArn: arnText.optional(),
        profileArn: arnText.optional(),
        roleArn: arnText.optional(),
        signingRegion: regionSchema.nullable().optional(),
        toolRegion: regionSchema.nullable().optional(),
        durationSeconds: durationSchema.optional(),
        roleSessionName: sessionNameSchema.nullable().optional(),
        autoRefresh: z.boolean().optional(),
        delivery: deliverySchema.optional(),
        endpoint: endpointSchema.nullable().optional(),
        names: resourceNamesSchema.nullable().optional(),
      })
      .strict(),
    output: profileViewSchema,
    summary: 'Change a profile, and rename it with newName (null clears an optional field)',
  }),
  'profiles.rename': operation({
    input: z.object({ name: profileNameSchema, newName: profileNameSchema, force: z.boolean().optional() }).strict(),
    output: profileViewSchema,
    summary: 'Rename a profile and move what it delivered',
  }),
  'profiles.remove': operation({ input: named, output: removedSchema, summary: 'Delete a profile, its keychain items and what it delivered' }),
  'profiles.explain': operation({
    input: z
      .object({
        name: profileNameSchema,
        /** AWS credentials that may read the trust anchor, profile and role: an active Rolecall profile or an AWS CLI profile. */
        using: z
          .discriminatedUnion('kind', [
            z.object({ kind: z.literal('rolecall'), name: profileNameSchema }).strict(),
            z.object({ kind: z.literal('aws'), profile: z.string().min(1) }).strict(),
          ])
          .optional(),
        /** The trust anchor's CA bundle, when GetTrustAnchor may not be read. */
        caPath: absolutePathSchema.optional(),
        /** The role's trust policy, when iam:GetRole may not be read. */
        policyPath: absolutePathSchema.optional(),
      })
      .strict(),
    output: explanationSchema,
    summary: 'Why CreateSession fails for a profile: its checks in the service\'s order, the first cause and its fix',
  }),
  'drafts.open': operation({
    input: z
      .object({
        certificatePath: z.string().min(1),
        privateKeyPath: z.string().min(1).optional(),
        intermediatesPath: z.string().min(1).optional(),
        passphrase: z.string().optional(),
      })
      .strict(),
    output: draftViewSchema,
    summary: 'Read certificate, key and intermediates from files into a draft (no key bytes leave the agent)',
  }),
  'drafts.unlock': operation({
    input: z.object({ draftId: z.string().min(1), passphrase: z.string() }).strict(),
    output: draftViewSchema,
    summary: 'Give the passphrase of an encrypted key or PKCS#12 file',
  }),
  'drafts.fromCertificate': operation({
    input: named,
    output: draftViewSchema,
    summary: 'A draft from an issued certificate request (`rolecall certificate`): its certificate, chain and key, which stays in the agent',
  }),
  'drafts.forProfileKey': operation({
    input: z.object({ name: profileNameSchema, privateKeyPath: absolutePathSchema, passphrase: z.string().optional() }).strict(),
    output: draftViewSchema,
    summary: 'A draft of a profile\'s own certificate and chain with its key read again from a file (KEY_CERT_MISMATCH unless it is the certificate\'s key); profiles.edit stores it',
  }),
  'sessions.activate': operation({ input: named, output: profileViewSchema, summary: 'Mint a session and deliver it' }),
  'sessions.deactivate': operation({ input: named, output: profileViewSchema, summary: 'Stop refreshing and withdraw what was delivered' }),
  'sessions.refresh': operation({ input: named, output: profileViewSchema, summary: 'Mint a new session now' }),
  'sessions.refreshAll': operation({ input: empty, output: profileViews, summary: 'Refresh every active profile' }),
  'sessions.givePin': operation({
    input: z.object({ name: profileNameSchema, pin: z.string().min(1).max(256) }).strict(),
    output: profileViewSchema,
    summary: 'The PIN of a token profile that needs one: held in the agent\'s memory, tried once at the next activation or refresh',
  }),
  'tokens.list': operation({
    input: z.object({ modulePath: z.string().min(1).max(4096).optional() }).strict(),
    output: tokenListingSchema,
    summary: 'The tokens a PKCS#11 module shows and the certificates readable on them without a PIN, each with its pkcs11: URI',
  }),
  'credentials.get': operation({
    input: z.object({ name: profileNameSchema, minValiditySeconds: z.number().int().min(0).max(3600).optional() }).strict(),
    output: credentialsOutputSchema,
    summary: 'Cached credentials with more than minValiditySeconds left (default 15 minutes), minted when needed',
  }),
  'env.render': operation({
    input: z.object({ name: profileNameSchema, shell: shellSchema }).strict(),
    output: view({ script: z.string() }),
    summary: 'Shell commands that export the session into a terminal',
  }),
  'env.copy': operation({
    input: z.object({ name: profileNameSchema, shell: shellSchema }).strict(),
    output: view({ clearsAt: z.string() }),
    summary: 'Put the export commands on the clipboard (cleared after 60 s if unchanged)',
  }),
  'endpoint.start': operation({
    input: z.object({ names: z.array(profileNameSchema).min(1), imds: z.boolean().optional(), port: z.number().int().min(0).max(65535).optional() }).strict(),
    output: endpointInfoSchema,
    summary: 'Serve container credentials (and optionally IMDSv2) for profiles on 127.0.0.1',
  }),
  'endpoint.stop': operation({ input: z.object({ id: z.string().min(1) }).strict(), output: view({ stopped: z.boolean() }), summary: 'Stop an endpoint' }),
  'import.preview': operation({ input: empty, output: importPlanSchema, summary: 'What importing ~/.aws/config credential_process lines would do' }),
  'import.apply': operation({
    input: z.object({ awsProfiles: z.array(z.string().min(1)).min(1), passphrases: z.record(z.string(), z.string()).optional() }).strict(),
    output: importResultSchema,
    summary: 'Import the chosen lines: keys into the keychain, config switched to Rolecall',
  }),
  'discover.list': operation({
    input: z
      .object({
        /** Credentials to list with: an active Rolecall profile or an AWS CLI profile. */
        using: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('rolecall'), name: profileNameSchema }).strict(),
          z.object({ kind: z.literal('aws'), profile: z.string().min(1) }).strict(),
        ]),
        region: regionSchema,
        endpoint: endpointSchema.optional(),
      })
      .strict(),
    output: discoverySchema,
    summary: 'List trust anchors and profiles (with their roles) in a region',
  }),
  'settings.get': operation({ input: empty, output: settingsSchema, summary: 'UI and agent preferences' }),
  'settings.set': operation({
    input: z
      .object({
        startAtLogin: z.boolean().optional(),
        notifications: z.boolean().optional(),
        defaultShell: shellSchema.optional(),
        requestTimeoutSeconds: requestTimeoutSchema.optional(),
        renewWithSameKey: z.boolean().optional(),
      })
      .strict(),
    output: settingsSchema,
    summary: 'Change preferences',
  }),
  'sandbox.startDemo': operation({
    input: empty,
    output: profileViewSchema,
    summary: 'Start the local sandbox with a demo PKI and add a profile that delivers inside Rolecall\'s data folder',
  }),
  'sandbox.trustCa': operation({
    input: z.object({ caPath: absolutePathSchema }).strict(),
    output: sandboxTrustedCaSchema,
    summary: 'Have the local sandbox trust a CA bundle (PEM) as a trust anchor that the demo profile and role accept, once however often it is asked',
  }),
  'sandbox.trustChosenCa': operation({
    input: empty,
    output: sandboxTrustedCaSchema.nullable(),
    summary: 'Show the file dialog for a CA bundle (PEM), then have the local sandbox trust it',
  }),
  'files.chooseCertificate': operation({
    input: empty,
    output: draftViewSchema.nullable(),
    summary: 'Show the file dialog, read the chosen certificate/key/PKCS#12 into a draft',
  }),
  'logs.openFolder': operation({ input: empty, output: pathSchema, summary: 'Open the logs folder in the file manager' }),
  'timeline.get': operation({
    input: named,
    output: view({ events: z.array(timelineEventSchema).readonly() }),
    summary: 'The last events of a profile\'s session (minted, refreshed, failed, delivered, deactivated), newest first',
  }),
  'console.url': operation({
    input: consoleInput,
    output: view({ url: z.string() }),
    summary: 'An AWS console sign-in URL from the profile\'s session (it holds a sign-in token: never logged)',
  }),
  'console.open': operation({
    input: consoleInput,
    output: view({ destination: z.string() }),
    summary: 'Open the AWS console signed in with the profile\'s session, in the default browser',
  }),
  'agent.info': operation({ input: empty, output: agentInfoSchema, summary: 'Which process is the agent' }),
  'agent.handOver': operation({
    input: empty,
    output: view({ stopping: z.boolean() }),
    summary: 'Ask a headless agent to exit so the app can take over',
  }),
  'doctor.check': operation({
    input: empty,
    output: doctorReportSchema,
    summary: 'The agent\'s own view (version, uptime, whether it reaches the keychain now) and every profile\'s status, keychain item, certificate expiry, AWS file delivery and name conflicts',
  }),
  'certificates.list': operation({ input: empty, output: z.array(certificateRequestViewSchema).readonly(), summary: 'Certificate requests, pending and issued (public material only)' }),
  'certificates.create': operation({
    input: z.object({ name: profileNameSchema, subject: z.string().min(1).max(1024), sans: z.array(z.string().min(1).max(1024)).max(32).optional(), keyType: z.string().min(1).max(32).optional() }).strict(),
    output: certificateRequestViewSchema,
    summary: 'A new key made inside the keychain and its CSR',
  }),
  'certificates.import': operation({
    input: z.object({ name: profileNameSchema, certificatePem: pemText, intermediatesPem: pemText.optional() }).strict(),
    output: certificateRequestViewSchema,
    summary: 'The certificate a CA issued for a pending request, checked against its key and as Roles Anywhere checks it',
  }),
  'certificates.remove': operation({ input: named, output: removedSchema, summary: 'Delete a certificate request and its key in the keychain' }),
  'cas.list': operation({ input: empty, output: z.array(localCaViewSchema).readonly(), summary: 'Rolecall CAs' }),
  'cas.create': operation({
    input: z.object({ name: profileNameSchema, subject: z.string().min(1).max(1024), keyType: z.string().min(1).max(32).optional(), days: z.number().int().optional() }).strict(),
    output: localCaViewSchema,
    summary: 'A Rolecall CA: its key made inside the keychain, its certificate written for the trust anchor',
  }),
  'cas.issue': operation({
    input: z.object({ ca: profileNameSchema, certificate: profileNameSchema, days: z.number().int().optional() }).strict(),
    output: certificateRequestViewSchema,
    summary: 'A Rolecall CA signs a pending request',
  }),
  'setup.preview': operation({ input: z.object(setupRequestSchema).strict(), output: setupPreviewSchema, summary: 'What a setup would make: each resource and the whole trust policy' }),
  'setup.template': operation({ input: z.object(setupRequestSchema).strict(), output: setupTextSchema, summary: 'The setup as a CloudFormation template (YAML) and its deploy command' }),
  'setup.commands': operation({
    input: z.object({ ...setupRequestSchema, target: setupTargetSchema }).strict(),
    output: setupTextSchema,
    summary: 'The setup as AWS CLI commands for bash or zsh',
  }),
  'setup.apply': operation({
    input: z.object({ ...setupRequestSchema, target: setupTargetSchema }).strict(),
    output: setupResultSchema,
    summary: 'Create the setup\'s resources (reusing those that exist), then add the Rolecall profile with their ARNs and activate it',
  }),
  'text.copy': operation({ input: z.object({ text: z.string().min(1).max(1024 * 1024) }).strict(), output: view({ copied: z.boolean() }), summary: 'Put a text that holds no secret (a CSR, a template) on the clipboard' }),
  'text.save': operation({
    input: z.object({ text: z.string().min(1).max(1024 * 1024), fileName: z.string().min(1).max(128).regex(/^[^/\\\0]+$/, 'Use a file name, not a path.') }).strict(),
    output: pathSchema.nullable(),
    summary: 'Show the save dialog and write a text that holds no secret (a CSR, a template) to the chosen file',
  }),
} as const satisfies Record<OperationName, OperationSpec<z.ZodType, z.ZodType>>;

type Operations = { readonly [N in OperationName]: (typeof SPECS)[N] & { readonly exposure: (typeof OPERATION_EXPOSURE)[N] } };

/** Every operation: its schemas, summary and exposure. */
export const OPERATIONS = Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, { ...SPECS[name], exposure: OPERATION_EXPOSURE[name] }]),
) as Operations;

export type OperationInput<N extends OperationName> = z.input<(typeof OPERATIONS)[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<(typeof OPERATIONS)[N]['output']>;

/** The outcome of a call as it crosses a process boundary: errors are values. */
export type CallResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

export const EVENTS = {
  /** A profile's state or definition changed. */
  'profile.changed': profileViewSchema,
  'profile.removed': view({ name: z.string() }),
  'settings.changed': settingsSchema,
  /** The agent renewed a certificate a Rolecall CA issued, or could not. */
  'certificate.renewal': certificateRenewalViewSchema,
  /** The user asked why a profile failed (its failure notification): the window shows its explanation. Sent by the app, not the agent. */
  'window.explain': view({ name: z.string() }),
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;
/** An event and its payload as one value, so that checking the name narrows the payload. */
export type AgentEvent = { readonly [E in EventName]: { readonly event: E; readonly payload: EventPayload<E> } }[EventName];
/** Whoever hears events: the hosts, the socket server and client, the window. */
export type AgentEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * An event that crossed a process boundary, checked against its schema. Answers it with the payload as
 * it came (not the parsed copy, so fields a newer agent added pass through unchanged); AGENT_INCOMPATIBLE
 * names the first field that does not fit (its path and the expected type, never its value).
 */
export function parseEvent(event: EventName, payload: unknown): AgentEvent {
  const checked = EVENTS[event].safeParse(payload);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'its payload' : issue.path.join('.');
    throw new RolecallError('AGENT_INCOMPATIBLE', `the agent's ${event} event does not fit this version at ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { event, payload } as AgentEvent;
}

/** The full API as a client sees it: `api.profiles.add(input)`, grouped by the part before the dot. */
export type ApiOf<Names extends OperationName> = {
  [G in Names extends `${infer Group}.${string}` ? Group : never]: {
    [N in Names as N extends `${G}.${infer Method}` ? Method : never]: (input: OperationInput<N>) => Promise<OperationOutput<N>>;
  };
};

export type RendererApi = ApiOf<Exclude<OperationName, { [N in OperationName]: (typeof OPERATIONS)[N]['exposure'] extends 'agent' ? N : never }[OperationName]>> & {
  events: { subscribe(listener: AgentEventListener): () => void };
};
