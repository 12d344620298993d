// IAM's role operations on the Query/XML wire (POST / with Action=…&Version=2010-05-08, answered in
// IAM's XML), as @aws-sdk/client-iam and `aws iam` speak it: CreateRole, GetRole, ListRoles, UpdateRole,
// UpdateAssumeRolePolicy, Attach/Detach/ListAttachedRolePolicies and DeleteRole. Trust policies are
// checked with IAM's own rules at CreateRole and UpdateAssumeRolePolicy and stored as given.
import { randomUUID } from 'node:crypto';
import { SESSION_DURATION_SECONDS } from '../shared/limits';
import type { Answer } from './answer';
import { headerValue, parseQuery, type RawRequest } from './canonical';
import { newRole, type RoleState, type SandboxConfig, type Tag } from './config';
import type { CredentialRegistry } from './credentials';
import { parseTrustPolicy } from './policy';
import { ServiceError, type Reason } from './service-error';
import { verifyHmacSigV4 } from './sigv4-hmac';

export const IAM_VERSION = '2010-05-08';
const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamContext {
  readonly config: SandboxConfig;
  readonly registry: CredentialRegistry;
  now(): number;
}

export interface IamResult {
  readonly answer: Answer;
  readonly accessKeyId: string;
  readonly changed: boolean;
}

export type IamOperation =
  | 'CreateRole'
  | 'GetRole'
  | 'ListRoles'
  | 'UpdateRole'
  | 'UpdateAssumeRolePolicy'
  | 'AttachRolePolicy'
  | 'DetachRolePolicy'
  | 'ListAttachedRolePolicies'
  | 'DeleteRole';

const OPERATIONS: readonly IamOperation[] = [
  'CreateRole',
  'GetRole',
  'ListRoles',
  'UpdateRole',
  'UpdateAssumeRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'ListAttachedRolePolicies',
  'DeleteRole',
];

/** The action a request names, when it names one IAM serves here. */
export function iamOperationOf(request: RawRequest): IamOperation | undefined {
  const action = new Map(paramsOf(request)).get('Action');
  return OPERATIONS.find((operation) => operation === action);
}

function paramsOf(request: RawRequest): Array<[string, string]> {
  const type = headerValue(request.headers, 'content-type') ?? '';
  const form = /^application\/x-www-form-urlencoded/i.test(type) ? (parseQuery(Buffer.from(request.body).toString('utf8')) ?? []) : [];
  return [...(parseQuery(request.query) ?? []), ...form];
}

function iamError(status: number, code: string, message: string, reason: Reason): ServiceError {
  return new ServiceError(status, code, message, reason);
}

function validation(message: string): ServiceError {
  return iamError(400, 'ValidationError', `1 validation error detected: ${message}`, 'INVALID_PARAMETER');
}

function noSuchRole(name: string): ServiceError {
  return iamError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`, 'ENTITY_NOT_FOUND');
}

export function runIam(request: RawRequest, context: IamContext, requestId: string = randomUUID()): IamResult {
  const caller = verifyHmacSigV4(request, { now: context.now(), service: 'iam', lookup: (id) => context.registry.find(id), dialect: 'sts' });
  const params = new Map(paramsOf(request));
  const action = params.get('Action') ?? '';
  if (params.get('Version') !== IAM_VERSION) {
    throw iamError(400, 'InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`, 'UNKNOWN_OPERATION');
  }
  const operation = OPERATIONS.find((known) => known === action);
  if (!operation) throw iamError(400, 'InvalidAction', `Could not find operation ${action} for version ${IAM_VERSION}`, 'UNKNOWN_OPERATION');
  const call = new IamCall(params, context, requestId);
  const { result, changed } = HANDLERS[operation](call);
  const body = `<${operation}Response xmlns="${NAMESPACE}">\n${result === '' ? '' : `  <${operation}Result>\n${result}  </${operation}Result>\n`}  <ResponseMetadata>\n    <RequestId>${call.requestId}</RequestId>\n  </ResponseMetadata>\n</${operation}Response>\n`;
  return { answer: { status: 200, headers: { 'Content-Type': 'text/xml' }, body }, accessKeyId: caller.accessKeyId, changed };
}

export function iamErrorAnswer(error: ServiceError, requestId: string): Answer {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return {
    status: error.status,
    headers: { 'Content-Type': 'text/xml' },
    body:
      `<ErrorResponse xmlns="${NAMESPACE}">\n` +
      `  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(error.code)}</Code>\n    <Message>${xmlEscape(error.message)}</Message>\n  </Error>\n` +
      `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}

class IamCall {
  constructor(
    readonly params: Map<string, string>,
    readonly context: IamContext,
    readonly requestId: string,
  ) {}

  /** A member by its wire name (RoleName) with its model name (roleName) for messages. */
  string(name: string, rule: { required?: boolean; min?: number; max?: number; pattern?: RegExp; patternText?: string } = {}): string | undefined {
    const value = this.params.get(name);
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    if (value === undefined) {
      if (rule.required) throw validation(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (rule.min !== undefined && value.length < rule.min) throw validation(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max) throw validation(`Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(value)) {
      throw validation(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
    }
    return value;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const text = this.params.get(name);
    if (text === undefined) return undefined;
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isNaN(value)) throw validation(`Value '${text}' at '${member}' failed to satisfy constraint: Member must be a number`);
    if (value < min) throw validation(`Value '${text}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    if (value > max) throw validation(`Value '${text}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    return value;
  }

  roleName(): string {
    return this.string('RoleName', ROLE_NAME) as string;
  }

  role(): RoleState {
    const name = this.roleName();
    const role = this.context.config.roles.find((r) => r.name === name);
    if (!role) throw noSuchRole(name);
    return role;
  }

  /** Tags.member.N.Key / Tags.member.N.Value, in order. */
  tags(): Tag[] {
    const tags: Tag[] = [];
    for (let n = 1; this.params.has(`Tags.member.${n}.Key`); n++) {
      const key = this.params.get(`Tags.member.${n}.Key`) as string;
      const value = this.params.get(`Tags.member.${n}.Value`) ?? '';
      if (key.length < 1 || key.length > 128) throw validation(`Value '${key}' at 'tags.${n}.member.key' failed to satisfy constraint: Member must have length between 1 and 128`);
      if (value.length > 256) throw validation(`Value at 'tags.${n}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
      tags.push({ key, value });
    }
    if (tags.length > 50) throw iamError(409, 'LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50', 'INVALID_PARAMETER');
    return tags;
  }

  /** A trust policy as IAM checks it, refused with IAM's MalformedPolicyDocument (or LimitExceeded) text. */
  trustPolicy(name: string): string {
    const document = this.string(name, { required: true, min: 1, max: 131072 }) as string;
    const parsed = parseTrustPolicy(document);
    if (!parsed.ok) throw iamError(parsed.refusal.status, parsed.refusal.code, parsed.refusal.message, 'MALFORMED_POLICY');
    return document;
  }

  now(): string {
    return isoSeconds(this.context.now());
  }
}

type Handler = (call: IamCall) => { result: string; changed: boolean };

const ROLE_NAME = { required: true, min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' };
const PATH = { min: 1, max: 512, pattern: /^(\/|\/[\u0021-\u007e]+\/)$/, patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' };
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/(?:[\u0021-\u007e]+\/)?[\w+=,.@-]+$/;
const MIN_SESSION = 3600;
const MAX_SESSION = SESSION_DURATION_SECONDS.max;

const HANDLERS: Record<IamOperation, Handler> = {
  CreateRole(call) {
    const name = call.roleName();
    const path = call.string('Path', PATH) ?? '/';
    const document = call.trustPolicy('AssumeRolePolicyDocument');
    const description = call.string('Description', { max: 1000 });
    const maxSessionDurationSeconds = call.integer('MaxSessionDuration', MIN_SESSION, MAX_SESSION);
    const tags = call.tags();
    const { config } = call.context;
    if (config.roles.some((role) => role.name.toLowerCase() === name.toLowerCase())) {
      throw iamError(409, 'EntityAlreadyExists', `Role with name ${name} already exists.`, 'ENTITY_ALREADY_EXISTS');
    }
    const role = newRole(
      {
        arn: `arn:aws:iam::${config.account}:role${path}${name}`,
        assumeRolePolicyDocument: document,
        ...(maxSessionDurationSeconds === undefined ? {} : { maxSessionDurationSeconds }),
        ...(description === undefined ? {} : { description }),
        tags,
      },
      call.now(),
    );
    config.roles.push(role);
    return { result: roleXml(role, 'Role', '    '), changed: true };
  },
  GetRole(call) {
    return { result: roleXml(call.role(), 'Role', '    ', true), changed: false };
  },
  ListRoles(call) {
    const prefix = call.string('PathPrefix', { min: 1, max: 512 }) ?? '/';
    const maxItems = call.integer('MaxItems', 1, 1000) ?? 100;
    const marker = call.string('Marker', { min: 1 });
    const decoded = marker === undefined ? '0' : Buffer.from(marker, 'base64').toString('utf8');
    const offset = /^\d{1,9}$/.test(decoded) ? Number(decoded) : Number.NaN;
    if (Number.isNaN(offset)) throw validation(`Value at 'marker' failed to satisfy constraint: Member must be a marker from an earlier answer`);
    const matching = call.context.config.roles.filter((role) => role.path.startsWith(prefix));
    const page = matching.slice(offset, offset + maxItems);
    const truncated = offset + maxItems < matching.length;
    const members = page.map((role) => roleXml(role, 'member', '      ')).join('');
    const result =
      `    <IsTruncated>${truncated}</IsTruncated>\n` +
      (truncated ? `    <Marker>${Buffer.from(String(offset + maxItems)).toString('base64')}</Marker>\n` : '') +
      `    <Roles>\n${members}    </Roles>\n`;
    return { result, changed: false };
  },
  UpdateRole(call) {
    const role = call.role();
    const description = call.string('Description', { max: 1000 });
    const maxSessionDurationSeconds = call.integer('MaxSessionDuration', MIN_SESSION, MAX_SESSION);
    if (description !== undefined) role.description = description;
    if (maxSessionDurationSeconds !== undefined) role.maxSessionDurationSeconds = maxSessionDurationSeconds;
    return { result: '', changed: true };
  },
  UpdateAssumeRolePolicy(call) {
    const role = call.role();
    role.assumeRolePolicyDocument = call.trustPolicy('PolicyDocument');
    return { result: '', changed: true };
  },
  AttachRolePolicy(call) {
    const role = call.role();
    const arn = policyArnOf(call);
    if (!role.attachedPolicyArns.includes(arn)) role.attachedPolicyArns.push(arn);
    return { result: '', changed: true };
  },
  DetachRolePolicy(call) {
    const role = call.role();
    const arn = policyArnOf(call);
    if (!role.attachedPolicyArns.includes(arn)) throw iamError(404, 'NoSuchEntity', `Policy ${arn} was not found.`, 'ENTITY_NOT_FOUND');
    role.attachedPolicyArns = role.attachedPolicyArns.filter((attached) => attached !== arn);
    return { result: '', changed: true };
  },
  ListAttachedRolePolicies(call) {
    const role = call.role();
    const members = role.attachedPolicyArns
      .map((arn) => `      <member>\n        <PolicyArn>${xmlEscape(arn)}</PolicyArn>\n        <PolicyName>${xmlEscape(arn.slice(arn.lastIndexOf('/') + 1))}</PolicyName>\n      </member>\n`)
      .join('');
    return { result: `    <IsTruncated>false</IsTruncated>\n    <AttachedPolicies>\n${members}    </AttachedPolicies>\n`, changed: false };
  },
  DeleteRole(call) {
    const role = call.role();
    if (role.attachedPolicyArns.length > 0) throw iamError(409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.', 'DELETE_CONFLICT');
    const { roles } = call.context.config;
    roles.splice(roles.indexOf(role), 1);
    return { result: '', changed: true };
  },
};

function policyArnOf(call: IamCall): string {
  const arn = call.string('PolicyArn', { required: true, min: 20, max: 2048 }) as string;
  if (!POLICY_ARN.test(arn)) throw iamError(400, 'InvalidInput', `ARN ${arn} is not valid.`, 'INVALID_PARAMETER');
  return arn;
}

/** IAM sends the trust policy URL-encoded inside the XML (the AWS CLI decodes it, the SDKs leave it). */
function roleXml(role: RoleState, element: string, indent: string, withLastUsed = false): string {
  const inner = `${indent}  `;
  const tags = role.tags.map((tag) => `${inner}  <member>\n${inner}    <Key>${xmlEscape(tag.key)}</Key>\n${inner}    <Value>${xmlEscape(tag.value)}</Value>\n${inner}  </member>\n`).join('');
  return (
    `${indent}<${element}>\n` +
    `${inner}<Path>${xmlEscape(role.path)}</Path>\n` +
    `${inner}<AssumeRolePolicyDocument>${xmlEscape(encodeURIComponent(role.assumeRolePolicyDocument))}</AssumeRolePolicyDocument>\n` +
    `${inner}<MaxSessionDuration>${role.maxSessionDurationSeconds}</MaxSessionDuration>\n` +
    `${inner}<RoleId>${role.roleId}</RoleId>\n` +
    `${inner}<RoleName>${xmlEscape(role.name)}</RoleName>\n` +
    (role.description === undefined ? '' : `${inner}<Description>${xmlEscape(role.description)}</Description>\n`) +
    `${inner}<Arn>${xmlEscape(role.arn)}</Arn>\n` +
    `${inner}<CreateDate>${role.createDate}</CreateDate>\n` +
    (tags === '' ? '' : `${inner}<Tags>\n${tags}${inner}</Tags>\n`) +
    (withLastUsed ? `${inner}<RoleLastUsed/>\n` : '') +
    `${indent}</${element}>\n`
  );
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
