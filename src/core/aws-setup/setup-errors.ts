// AWS's refusals during a setup as typed errors that name the action: a denied permission says which
// one the credentials lack, a missing managed policy says which ARN; transport failures (NETWORK,
// TIMEOUT, TLS) pass through as they are.
import { isRolecallError, RolecallError, type ErrorCode } from '../../shared/errors';

const MAX_DETAIL_LENGTH = 400;
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const NOT_FOUND = new Set(['NoSuchEntity', 'NoSuchEntityException', 'ResourceNotFoundException']);

export function setupError(error: unknown, action: string, about?: string): RolecallError {
  if (isRolecallError(error)) return error;
  const { name, message } = describe(error);
  const code: ErrorCode = DENIED.has(name)
    ? 'SETUP_ACCESS_DENIED'
    : about !== undefined && action === 'iam:AttachRolePolicy' && (NOT_FOUND.has(name) || name === 'InvalidInput')
      ? 'POLICY_ARN_INVALID'
      : name === 'EntityAlreadyExists' || name === 'ConflictException'
        ? 'SETUP_CONFLICT'
        : 'SETUP_FAILED';
  const what = code === 'SETUP_ACCESS_DENIED' ? `${action} was denied` : `${action}${about === undefined ? '' : ` ${about}`}: ${name}`;
  return new RolecallError(code, `${what}${message ? `: ${message}` : ''}`.slice(0, MAX_DETAIL_LENGTH), { cause: error });
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && NOT_FOUND.has(error.name);
}

function describe(error: unknown): { name: string; message: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: '' };
  // Service messages name ARNs and actions, never the caller's secret.
  return { name: error.name, message: error.message.split('\n')[0] ?? '' };
}
