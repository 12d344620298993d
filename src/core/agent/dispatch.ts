// One way to run a contract operation for whoever asks (the agent socket, the app window's IPC): find
// the host's handler, validate the input with the operation's schema, call it, and answer with a
// CallResult, so errors cross as values with their code. An unexpected exception is answered as INTERNAL
// without its text, which could quote anything, and logged whole (stack, cause) through the logger's
// redaction, so a bug leaves a trace. The input is never logged: it can hold a passphrase.
import type { z } from 'zod';
import type { CallResult, OperationName } from '../../shared/contract';
import { OPERATIONS } from '../../shared/contract';
import { RolecallError, isRolecallError, toErrorInfo } from '../../shared/errors';
import type { Logger } from '../log/logger';

/** An operation's input after its contract schema parsed it. */
export type ParsedInput<N extends OperationName> = z.output<(typeof OPERATIONS)[N]['input']>;
/** Typed per operation; a handler written for `unknown` input fits as well. */
export type OperationHandlers = { readonly [N in OperationName]?: (input: ParsedInput<N>) => Promise<unknown> };

export interface DispatchOptions {
  readonly logger: Logger;
  /** Who asked ('socket', 'renderer'), for the log. */
  readonly caller: string;
  /** The refusal for an operation the host has no handler for (a newer client, or a wiring bug). */
  readonly notOffered: (name: OperationName) => RolecallError;
}

export async function dispatch(handlers: OperationHandlers, name: OperationName, input: unknown, { logger, caller, notOffered }: DispatchOptions): Promise<CallResult<unknown>> {
  // The schema below belongs to the same operation as the handler, so the parsed input is the one it takes.
  const handler = handlers[name] as ((input: unknown) => Promise<unknown>) | undefined;
  if (handler === undefined) return failed(notOffered(name));
  const parsed = OPERATIONS[name].input.safeParse(input);
  if (!parsed.success) return failed(new RolecallError('USAGE', `${name}: ${describeIssues(parsed.error)}`));
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (!isRolecallError(error)) logger.error('operation failed unexpectedly', { op: name, caller, error });
    return failed(error);
  }
}

function failed(error: unknown): CallResult<never> {
  return { ok: false, error: toErrorInfo(error) };
}

/** Where and what, never the value: a rejected field may hold a passphrase. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
