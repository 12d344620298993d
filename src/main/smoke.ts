// `--smoke`: the page asks the agent for its state through window.rolecall, exactly as the UI does, so
// one answer proves preload, IPC bridge, sender check, validation and the host work together.

/** Runs in the page; resolves with a plain object (what executeJavaScript can return). */
export const SMOKE_SCRIPT = `window.rolecall.state.get().then(
  (state) => ({ ok: true, profiles: state.profiles.length, agent: state.agent.host }),
  (error) => ({ ok: false, code: String(error && error.code), message: String(error && error.message) }),
)`;

export interface SmokeOutcome {
  readonly exitCode: 0 | 1;
  readonly message: string;
}

export function smokeOutcome(result: unknown): SmokeOutcome {
  const answer = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  if (answer.ok === true && typeof answer.profiles === 'number') {
    return { exitCode: 0, message: `rolecall smoke: ok (state.get over IPC: ${answer.profiles} profiles, agent host ${String(answer.agent)})` };
  }
  if (answer.ok === false) return { exitCode: 1, message: `rolecall smoke: state.get failed with ${String(answer.code)}: ${String(answer.message)}` };
  return { exitCode: 1, message: 'rolecall smoke: the page answered something that is not a state' };
}
