// The agent's handler tables, typed from the contract: each handler takes its operation's parsed input
// and answers its exact output, so a missing or mistyped handler does not compile. Which operations the
// agent answers follows from their exposure: all but the app's, which need the desktop.
import type { OperationName, OperationOutput } from '../../shared/contract';
import type { OPERATION_EXPOSURE } from '../../shared/operations';
import type { ParsedInput } from '../agent';

/** Operations only the desktop app answers (dialogs, the clipboard, the file manager). */
export type AppOperation = { [N in OperationName]: (typeof OPERATION_EXPOSURE)[N] extends 'app' ? N : never }[OperationName];
/** Operations the agent answers, for the socket and for the app's window alike. */
export type AgentOperation = Exclude<OperationName, AppOperation>;

export type Handler<N extends OperationName> = (input: ParsedInput<N>) => Promise<OperationOutput<N>>;
export type Handlers<N extends OperationName> = { readonly [K in N]: Handler<K> };
/** A group of the agent's handlers, or (by default) all of them. */
export type AgentHandlers<N extends AgentOperation = AgentOperation> = Handlers<N>;

/**
 * The same table with `before` awaited ahead of every handler. The entries are rebuilt one by one, each
 * from its own handler, so the table keeps its type; only Object.fromEntries cannot say so.
 */
export function runBefore<N extends OperationName>(table: Handlers<N>, before: () => Promise<void>): Handlers<N> {
  const wrapped = Object.entries<(input: never) => Promise<unknown>>(table).map(([name, handler]) => [
    name,
    async (input: never) => {
      await before();
      return handler(input);
    },
  ]);
  return Object.fromEntries(wrapped) as Handlers<N>;
}
