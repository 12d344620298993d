// Roles Anywhere's control plane on the REST-JSON wire (paths, methods, bodies and status codes of the
// service's model, as @aws-sdk/client-rolesanywhere and the AWS CLI send them): trust anchors,
// profiles, attribute mappings and CRLs. Every call is SigV4-signed by the admin key or credentials
// the sandbox issued; identity policies are not evaluated, so any such caller may do anything.
import { randomUUID } from 'node:crypto';
import { SESSION_DURATION_SECONDS } from '../../shared/limits';
import { jsonAnswer, type Answer } from '../answer';
import { parseQuery, type RawRequest } from '../canonical';
import { parseCertificatesPem } from '../certificate';
import { DEFAULT_ATTRIBUTE_MAPPINGS, CERTIFICATE_FIELDS, deleteAttributeMapping, putAttributeMapping, readAttributeMapping, type CertificateField } from '../policy';
import type { CrlState, ProfileState, SandboxConfig, Tag, TrustAnchorState } from '../config';
import { DEFAULT_PROFILE_DURATION } from '../config';
import type { CredentialRegistry } from '../credentials';
import { parseCrlPem } from '../crl';
import { notFound, validationError } from '../service-error';
import { InputReader, type StringRule } from './input';
import { verifyRolesAnywhereCaller } from '../rolesanywhere-api';
import { crlView, profileView, trustAnchorView } from './views';

export interface ControlContext {
  readonly config: SandboxConfig;
  readonly registry: CredentialRegistry;
  /** The sandbox clock, skew included. */
  now(): number;
}

export interface ControlResult {
  readonly answer: Answer;
  /** The key that signed the call. */
  readonly accessKeyId: string;
  /** Whether the account changed (the server then saves its state). */
  readonly changed: boolean;
}

export type RolesAnywhereControlOperation =
  | 'CreateTrustAnchor'
  | 'GetTrustAnchor'
  | 'UpdateTrustAnchor'
  | 'DeleteTrustAnchor'
  | 'EnableTrustAnchor'
  | 'DisableTrustAnchor'
  | 'CreateProfile'
  | 'GetProfile'
  | 'UpdateProfile'
  | 'DeleteProfile'
  | 'EnableProfile'
  | 'DisableProfile'
  | 'PutAttributeMapping'
  | 'DeleteAttributeMapping'
  | 'ImportCrl'
  | 'ListCrls'
  | 'GetCrl'
  | 'UpdateCrl'
  | 'DeleteCrl'
  | 'EnableCrl'
  | 'DisableCrl';

export interface RolesAnywhereControlRoute {
  readonly operation: RolesAnywhereControlOperation;
  run(request: RawRequest, context: ControlContext): ControlResult;
}

interface Call {
  readonly request: RawRequest;
  readonly context: ControlContext;
  /** The resource id from the path, when the path has one. */
  readonly id: string;
}

interface Outcome {
  readonly status: number;
  readonly body: unknown;
  readonly changed: boolean;
}

type Handler = (call: Call) => Outcome;

const ID = '([^/]+)';
const ROUTES: ReadonlyArray<readonly [method: string, path: RegExp, operation: RolesAnywhereControlOperation, handler: Handler]> = [
  ['POST', /^\/trustanchors$/, 'CreateTrustAnchor', createTrustAnchor],
  ['GET', new RegExp(`^/trustanchor/${ID}$`), 'GetTrustAnchor', (call) => ({ status: 200, body: { trustAnchor: trustAnchorView(trustAnchorOf(call)) }, changed: false })],
  ['PATCH', new RegExp(`^/trustanchor/${ID}$`), 'UpdateTrustAnchor', updateTrustAnchor],
  ['DELETE', new RegExp(`^/trustanchor/${ID}$`), 'DeleteTrustAnchor', deleteTrustAnchor],
  ['POST', new RegExp(`^/trustanchor/${ID}/enable$`), 'EnableTrustAnchor', (call) => switchTrustAnchor(call, true)],
  ['POST', new RegExp(`^/trustanchor/${ID}/disable$`), 'DisableTrustAnchor', (call) => switchTrustAnchor(call, false)],
  ['POST', /^\/profiles$/, 'CreateProfile', createProfile],
  ['GET', new RegExp(`^/profile/${ID}$`), 'GetProfile', (call) => profileOutcome(call, profileOf(call), false)],
  ['PATCH', new RegExp(`^/profile/${ID}$`), 'UpdateProfile', updateProfile],
  ['DELETE', new RegExp(`^/profile/${ID}$`), 'DeleteProfile', deleteProfile],
  ['POST', new RegExp(`^/profile/${ID}/enable$`), 'EnableProfile', (call) => switchProfile(call, true)],
  ['POST', new RegExp(`^/profile/${ID}/disable$`), 'DisableProfile', (call) => switchProfile(call, false)],
  ['PUT', new RegExp(`^/profiles/${ID}/mappings$`), 'PutAttributeMapping', putMapping],
  ['DELETE', new RegExp(`^/profiles/${ID}/mappings$`), 'DeleteAttributeMapping', deleteMapping],
  ['POST', /^\/crls$/, 'ImportCrl', importCrl],
  ['GET', /^\/crls$/, 'ListCrls', listCrls],
  ['GET', new RegExp(`^/crl/${ID}$`), 'GetCrl', (call) => ({ status: 200, body: { crl: crlView(crlOf(call)) }, changed: false })],
  ['PATCH', new RegExp(`^/crl/${ID}$`), 'UpdateCrl', updateCrl],
  ['DELETE', new RegExp(`^/crl/${ID}$`), 'DeleteCrl', deleteCrl],
  ['POST', new RegExp(`^/crl/${ID}/enable$`), 'EnableCrl', (call) => switchCrl(call, true)],
  ['POST', new RegExp(`^/crl/${ID}/disable$`), 'DisableCrl', (call) => switchCrl(call, false)],
];

/** The control-plane operation at this method and path, or undefined when there is none. */
export function rolesAnywhereControlRoute(method: string, path: string): RolesAnywhereControlRoute | undefined {
  for (const [routeMethod, pattern, operation, handler] of ROUTES) {
    const match = method === routeMethod ? pattern.exec(path) : null;
    if (!match) continue;
    return {
      operation,
      run(request, context) {
        const caller = verifyRolesAnywhereCaller(request, context);
        const outcome = handler({ request, context, id: decodePathSegment(match[1]) });
        return { answer: jsonAnswer(outcome.status, outcome.body), accessKeyId: caller.accessKeyId, changed: outcome.changed };
      },
    };
  }
  return undefined;
}

const RESOURCE_ID = /^[a-f0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}$/;
const NAME: StringRule = { required: true, min: 1, max: 255, pattern: /^[ a-zA-Z0-9_-]*$/, patternText: '^[ a-zA-Z0-9-_]*$' };
const ROLE_ARN: StringRule = { max: 1011, pattern: /^arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)$/ };
const POLICY_ARN: StringRule = { max: 1011, pattern: /^arn:aws(-[^:]+)?:iam(:.*){2}(:policy.*)$/ };
const TRUST_ANCHOR_ARN: StringRule = { required: true, min: 1, max: 1011, pattern: /^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:trust-anchor.*)$/ };
const ACM_PCA_ARN = /^arn:aws(-[^:]+)?:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]+$/;
const MAX_BUNDLE_CHARACTERS = 8000;
const MAX_CRL_BYTES = 300000;
const MAX_SESSION_POLICY_CHARACTERS = 100000;

function decodePathSegment(segment: string | undefined): string {
  if (segment === undefined) return '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function stamp(context: ControlContext): string {
  return new Date(context.now()).toISOString();
}

function arnPrefix(config: SandboxConfig): string {
  return `arn:aws:rolesanywhere:${config.region}:${config.account}`;
}

function checkedId(id: string, member: string): string {
  if (!RESOURCE_ID.test(id)) {
    throw validationError(`1 validation error detected: Value '${id}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-f0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}`);
  }
  return id;
}

function trustAnchorOf({ context, id }: Call): TrustAnchorState {
  checkedId(id, 'trustAnchorId');
  const anchor = context.config.trustAnchors.find((a) => a.id === id);
  if (!anchor) throw notFound('TRUST_ANCHOR_NOT_FOUND', 'Resource not found');
  return anchor;
}

function profileOf({ context, id }: Call): ProfileState {
  checkedId(id, 'profileId');
  const profile = context.config.profiles.find((p) => p.id === id);
  if (!profile) throw notFound('PROFILE_NOT_FOUND', 'Resource not found');
  return profile;
}

function crlOf({ context, id }: Call): CrlState {
  checkedId(id, 'crlId');
  const crl = context.config.crls.find((c) => c.id === id);
  if (!crl) throw notFound('CRL_NOT_FOUND', 'Resource not found');
  return crl;
}

function readTags(input: InputReader): Tag[] {
  const value = input.body.tags;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 200) {
    input.fail(`Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200`);
    return [];
  }
  const tags: Tag[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      input.fail(`Value at 'tags.${index + 1}.member' failed to satisfy constraint: Member must be a structure`);
      return;
    }
    const tag = item as Record<string, unknown>;
    const key = typeof tag.key === 'string' && tag.key.length >= 1 && tag.key.length <= 128 ? tag.key : undefined;
    const tagValue = typeof tag.value === 'string' && tag.value.length <= 256 ? tag.value : undefined;
    if (key === undefined) input.fail(`Value at 'tags.${index + 1}.member.key' failed to satisfy constraint: Member must have length between 1 and 128`);
    if (tagValue === undefined) input.fail(`Value at 'tags.${index + 1}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
    if (key !== undefined && tagValue !== undefined) tags.push({ key, value: tagValue });
  });
  return tags;
}

type Source = { readonly sourceType: 'CERTIFICATE_BUNDLE'; readonly pem: string } | { readonly sourceType: 'AWS_ACM_PCA'; readonly acmPcaArn: string };

function readSource(input: InputReader, required: boolean): Source | undefined {
  const source = input.object('source', required);
  if (!source) return undefined;
  const sourceType = source.string('sourceType', { required: true });
  const data = source.object('sourceData', true);
  if (sourceType === undefined || !data) return undefined;
  if (sourceType === 'CERTIFICATE_BUNDLE') {
    const pem = data.string('x509CertificateData', { required: true, min: 1, max: MAX_BUNDLE_CHARACTERS });
    return pem === undefined ? undefined : { sourceType, pem };
  }
  if (sourceType === 'AWS_ACM_PCA') {
    const acmPcaArn = data.string('acmPcaArn', { required: true, pattern: ACM_PCA_ARN });
    return acmPcaArn === undefined ? undefined : { sourceType, acmPcaArn };
  }
  input.fail(`Value '${sourceType}' at 'source.sourceType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_ACM_PCA, CERTIFICATE_BUNDLE]`);
  return undefined;
}

/** The bundle's certificates, each a CA, or the ValidationException the service sends for a bad bundle. */
function bundleCertificates(pem: string) {
  let certificates;
  try {
    certificates = parseCertificatesPem(pem);
  } catch {
    throw validationError('Invalid certificate bundle: a certificate could not be parsed.');
  }
  if (certificates.length === 0) throw validationError('Invalid certificate bundle: no PEM certificate found.');
  for (const certificate of certificates) {
    if (certificate.version !== 3) throw validationError('Invalid certificate bundle: trust anchor certificates must be X.509 v3.');
    if (!certificate.isCa) throw validationError('Invalid certificate bundle: a trust anchor certificate must be a CA certificate (basicConstraints CA:TRUE).');
  }
  return certificates;
}

function applySource(anchor: TrustAnchorState, source: Source): void {
  if (source.sourceType === 'CERTIFICATE_BUNDLE') {
    anchor.certificates = bundleCertificates(source.pem);
    anchor.sourceType = 'CERTIFICATE_BUNDLE';
    anchor.pem = source.pem;
    anchor.acmPcaArn = undefined;
  } else {
    anchor.certificates = [];
    anchor.sourceType = 'AWS_ACM_PCA';
    anchor.pem = '';
    anchor.acmPcaArn = source.acmPcaArn;
  }
}

function createTrustAnchor({ request, context }: Call): Outcome {
  const input = InputReader.fromJson(request.body);
  const name = input.string('name', NAME);
  const enabled = input.boolean('enabled');
  const source = readSource(input, true);
  const tags = readTags(input);
  input.done();
  const id = randomUUID();
  const now = stamp(context);
  const anchor: TrustAnchorState = {
    id,
    arn: `${arnPrefix(context.config)}:trust-anchor/${id}`,
    name: name as string,
    enabled: enabled ?? false,
    sourceType: 'CERTIFICATE_BUNDLE',
    acmPcaArn: undefined,
    pem: '',
    certificates: [],
    tags,
    createdAt: now,
    updatedAt: now,
  };
  applySource(anchor, source as Source);
  context.config.trustAnchors.push(anchor);
  return { status: 201, body: { trustAnchor: trustAnchorView(anchor) }, changed: true };
}

function updateTrustAnchor(call: Call): Outcome {
  const anchor = trustAnchorOf(call);
  const input = InputReader.fromJson(call.request.body);
  const name = input.string('name', { ...NAME, required: false });
  const source = readSource(input, false);
  input.done();
  if (source) applySource(anchor, source);
  if (name !== undefined) anchor.name = name;
  anchor.updatedAt = stamp(call.context);
  return { status: 200, body: { trustAnchor: trustAnchorView(anchor) }, changed: true };
}

function deleteTrustAnchor(call: Call): Outcome {
  const anchor = trustAnchorOf(call);
  const { config } = call.context;
  config.trustAnchors.splice(config.trustAnchors.indexOf(anchor), 1);
  return { status: 200, body: { trustAnchor: trustAnchorView(anchor) }, changed: true };
}

function switchTrustAnchor(call: Call, enabled: boolean): Outcome {
  const anchor = trustAnchorOf(call);
  anchor.enabled = enabled;
  anchor.updatedAt = stamp(call.context);
  return { status: 200, body: { trustAnchor: trustAnchorView(anchor) }, changed: true };
}

interface ProfileFields {
  name?: string;
  roleArns?: string[];
  durationSeconds?: number;
  managedPolicyArns?: string[];
  sessionPolicy?: string;
  acceptRoleSessionName?: boolean;
}

function readProfileFields(input: InputReader, creating: boolean): ProfileFields {
  const fields: ProfileFields = {};
  const name = input.string('name', { ...NAME, required: creating });
  const roleArns = input.strings('roleArns', { ...ROLE_ARN, required: creating, maxItems: 250 });
  const durationSeconds = input.integer('durationSeconds', SESSION_DURATION_SECONDS.min, SESSION_DURATION_SECONDS.max);
  const managedPolicyArns = input.strings('managedPolicyArns', { ...POLICY_ARN, maxItems: 50 });
  const sessionPolicy = input.string('sessionPolicy', { max: MAX_SESSION_POLICY_CHARACTERS });
  const acceptRoleSessionName = input.boolean('acceptRoleSessionName');
  if (sessionPolicy !== undefined && !isJsonObject(sessionPolicy)) input.fail(`Value at 'sessionPolicy' failed to satisfy constraint: Member must be a valid JSON policy document`);
  if (name !== undefined) fields.name = name;
  if (roleArns !== undefined) fields.roleArns = roleArns;
  if (durationSeconds !== undefined) fields.durationSeconds = durationSeconds;
  if (managedPolicyArns !== undefined) fields.managedPolicyArns = managedPolicyArns;
  if (sessionPolicy !== undefined) fields.sessionPolicy = sessionPolicy;
  if (acceptRoleSessionName !== undefined) fields.acceptRoleSessionName = acceptRoleSessionName;
  return fields;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function createProfile({ request, context }: Call): Outcome {
  const input = InputReader.fromJson(request.body);
  const fields = readProfileFields(input, true);
  const enabled = input.boolean('enabled');
  const requireInstanceProperties = input.boolean('requireInstanceProperties');
  const tags = readTags(input);
  input.done();
  const id = randomUUID();
  const now = stamp(context);
  const profile: ProfileState = {
    id,
    arn: `${arnPrefix(context.config)}:profile/${id}`,
    name: fields.name as string,
    enabled: enabled ?? false,
    roleArns: fields.roleArns ?? [],
    durationSeconds: fields.durationSeconds ?? DEFAULT_PROFILE_DURATION,
    acceptRoleSessionName: fields.acceptRoleSessionName ?? false,
    requireInstanceProperties: requireInstanceProperties ?? false,
    managedPolicyArns: fields.managedPolicyArns ?? [],
    sessionPolicy: fields.sessionPolicy,
    attributeMappings: [...DEFAULT_ATTRIBUTE_MAPPINGS],
    tags,
    createdAt: now,
    updatedAt: now,
  };
  context.config.profiles.push(profile);
  return profileOutcome({ request, context, id }, profile, true, 201);
}

function profileOutcome(call: Call, profile: ProfileState, changed: boolean, status = 200): Outcome {
  return { status, body: { profile: profileView(profile, call.context.config) }, changed };
}

function updateProfile(call: Call): Outcome {
  const profile = profileOf(call);
  const input = InputReader.fromJson(call.request.body);
  const fields = readProfileFields(input, false);
  input.done();
  Object.assign(profile, fields);
  profile.updatedAt = stamp(call.context);
  return profileOutcome(call, profile, true);
}

function deleteProfile(call: Call): Outcome {
  const profile = profileOf(call);
  const { config } = call.context;
  config.profiles.splice(config.profiles.indexOf(profile), 1);
  return profileOutcome(call, profile, true);
}

function switchProfile(call: Call, enabled: boolean): Outcome {
  const profile = profileOf(call);
  profile.enabled = enabled;
  profile.updatedAt = stamp(call.context);
  return profileOutcome(call, profile, true);
}

function putMapping(call: Call): Outcome {
  const profile = profileOf(call);
  const read = readAttributeMapping(InputReader.fromJson(call.request.body).body);
  if (!read.ok) throw validationError(read.message);
  profile.attributeMappings = putAttributeMapping(profile.attributeMappings, read.mapping);
  profile.updatedAt = stamp(call.context);
  return profileOutcome(call, profile, true);
}

function deleteMapping(call: Call): Outcome {
  const profile = profileOf(call);
  const params = parseQuery(call.request.query) ?? [];
  const field = params.find(([key]) => key === 'certificateField')?.[1];
  const specifiers = params.filter(([key]) => key === 'specifiers').map(([, value]) => value);
  if (field === undefined) throw validationError(`1 validation error detected: Value null at 'certificateField' failed to satisfy constraint: Member must not be null`);
  if (!CERTIFICATE_FIELDS.some((known) => known === field)) {
    throw validationError(`1 validation error detected: Value '${field}' at 'certificateField' failed to satisfy constraint: Member must satisfy enum value set: [${CERTIFICATE_FIELDS.join(', ')}]`);
  }
  profile.attributeMappings = deleteAttributeMapping(profile.attributeMappings, field as CertificateField, specifiers);
  profile.updatedAt = stamp(call.context);
  return profileOutcome(call, profile, true);
}

/** crlData arrives base64 in JSON (a blob); the CRL inside must be PEM. */
function readCrlData(input: InputReader, required: boolean): { data: Buffer; revokedSerials: Set<string> } | undefined {
  const text = input.string('crlData', { required, min: 1 });
  if (text === undefined) return undefined;
  const data = /^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s+/g, '')) ? Buffer.from(text, 'base64') : undefined;
  if (!data || data.length === 0) {
    input.fail(`Value at 'crlData' failed to satisfy constraint: Member must be base64-encoded binary data`);
    return undefined;
  }
  if (data.length > MAX_CRL_BYTES) {
    input.fail(`Value at 'crlData' failed to satisfy constraint: Member must have length less than or equal to ${MAX_CRL_BYTES}`);
    return undefined;
  }
  const parsed = parseCrlPem(data);
  if (!parsed) {
    input.fail(`Value at 'crlData' failed to satisfy constraint: Member must be an X.509 v3 CRL in PEM format`);
    return undefined;
  }
  return { data, revokedSerials: parsed.revokedSerials };
}

function importCrl({ request, context }: Call): Outcome {
  const input = InputReader.fromJson(request.body);
  const name = input.string('name', NAME);
  const trustAnchorArn = input.string('trustAnchorArn', TRUST_ANCHOR_ARN);
  const enabled = input.boolean('enabled');
  const crlData = readCrlData(input, true);
  const tags = readTags(input);
  input.done();
  if (!context.config.trustAnchors.some((anchor) => anchor.arn === trustAnchorArn)) throw notFound('TRUST_ANCHOR_NOT_FOUND', 'Resource not found');
  const id = randomUUID();
  const now = stamp(context);
  const crl: CrlState = {
    id,
    arn: `${arnPrefix(context.config)}:crl/${id}`,
    name: name as string,
    enabled: enabled ?? false,
    trustAnchorArn: trustAnchorArn as string,
    ...(crlData as { data: Buffer; revokedSerials: Set<string> }),
    tags,
    createdAt: now,
    updatedAt: now,
  };
  context.config.crls.push(crl);
  return { status: 201, body: { crl: crlView(crl) }, changed: true };
}

function listCrls({ request, context }: Call): Outcome {
  const params = new Map(parseQuery(request.query) ?? []);
  const sizeText = params.get('pageSize');
  const pageSize = sizeText === undefined ? 50 : Number(sizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw validationError(`pageSize must be a positive integer, not '${sizeText}'`);
  const tokenText = params.get('nextToken');
  const offset = tokenText === undefined ? 0 : Number(Buffer.from(tokenText, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || offset > context.config.crls.length) throw validationError('nextToken is not valid');
  const end = offset + pageSize;
  const crls = context.config.crls.slice(offset, end).map(crlView);
  return { status: 200, body: { crls, ...(end < context.config.crls.length ? { nextToken: Buffer.from(String(end)).toString('base64') } : {}) }, changed: false };
}

function updateCrl(call: Call): Outcome {
  const crl = crlOf(call);
  const input = InputReader.fromJson(call.request.body);
  const name = input.string('name', { ...NAME, required: false });
  const crlData = readCrlData(input, false);
  input.done();
  if (name !== undefined) crl.name = name;
  if (crlData) Object.assign(crl, crlData);
  crl.updatedAt = stamp(call.context);
  return { status: 200, body: { crl: crlView(crl) }, changed: true };
}

function deleteCrl(call: Call): Outcome {
  const crl = crlOf(call);
  const { config } = call.context;
  config.crls.splice(config.crls.indexOf(crl), 1);
  return { status: 200, body: { crl: crlView(crl) }, changed: true };
}

function switchCrl(call: Call, enabled: boolean): Outcome {
  const crl = crlOf(call);
  crl.enabled = enabled;
  crl.updatedAt = stamp(call.context);
  return { status: 200, body: { crl: crlView(crl) }, changed: true };
}
