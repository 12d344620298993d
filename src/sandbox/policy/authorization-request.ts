// What a trust policy is asked about: who calls, which actions it needs, and the request context its
// conditions read. Condition keys are case-insensitive in IAM, so the context is keyed in lowercase.
import type { PrincipalType } from './trust-policy';

/** A key's value: one string, or a list for a multivalued key (an empty list counts as absent). */
export type ContextValue = string | readonly string[];

export interface RequestContext {
  /** The value of a key, looked up without regard to case. */
  get(key: string): ContextValue | undefined;
  /** Every key as it was given, for explanations. */
  readonly entries: ReadonlyArray<readonly [string, ContextValue]>;
}

export interface AuthorizationRequest {
  readonly principal: { readonly type: PrincipalType; readonly id: string };
  /** Each must be allowed, and none explicitly denied. */
  readonly actions: readonly string[];
  readonly context: RequestContext;
}

export function requestContext(entries: Iterable<readonly [string, ContextValue]>): RequestContext {
  const list = [...entries];
  const byKey = new Map(list.map(([key, value]) => [key.toLowerCase(), value]));
  return { get: (key) => byKey.get(key.toLowerCase()), entries: list };
}
