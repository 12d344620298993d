// Roles Anywhere's bounds on a session, in one place for the agent (which enforces them), the
// contract's schemas, the sandbox, the renderer's form and the help texts. No dependencies: the
// renderer bundles this file.

/** CreateSession's `durationSeconds`: 15 minutes to 12 hours, one hour when not given. */
export const SESSION_DURATION_SECONDS = { min: 900, max: 43_200, default: 3600 } as const;

export function isSessionDuration(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds >= SESSION_DURATION_SECONDS.min && seconds <= SESSION_DURATION_SECONDS.max;
}
