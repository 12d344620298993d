// `rolecall doctor`: checks what Rolecall needs from this machine and what its profiles need — the
// keychain as this shell and as the agent see it, the agent itself, a clock that agrees with Roles
// Anywhere, the proxy settings, and per profile its status and last problem, its key in the keychain,
// its certificate's validity, what it delivered to the AWS files and other credentials under its name —
// each with ok/warn/fail and what to do next. The profile checks run in the agent (`doctor.check`),
// which holds the sessions and the keychain context they are used with.
import type { AgentClient } from '../../core/agent/client';
import { connectAgent } from '../../core/agent/client';
import { reachAfter } from '../../core/secrets/keychain-reach';
import { createNodeTransport } from '../../core/platform/node-transport';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../core/platform/transport';
import { resolveEndpoint } from '../../core/rolesanywhere/endpoint';
import { KeytarSecretStore } from '../../core/secrets';
import { ERRORS, toErrorInfo } from '../../shared/errors';
import type { AgentInfo, DoctorFinding, DoctorReport, KeychainReach, ProblemView, ProfileView } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { connect, socketPath } from '../runtime';
import { formatDuration } from './agent-control';

const HELP = formatHelp({
  usage: 'rolecall doctor [--json]',
  summary: 'Check this machine and every profile: the OS keychain (from this shell and from the agent), the agent, the clock against Roles Anywhere, proxy settings, each profile\'s status and last problem, its key in the keychain, certificates that expire within 30 days, what was delivered to the AWS files, and AWS profile names that hold credentials Rolecall did not write.',
  options: [
    ['--json', 'Print {ok, agent: {pid, host, version, startedAt, uptimeSeconds, keychain}, checks: [{name, status, detail, next, profile}]}'],
    ['--help', 'Show this help'],
  ],
  notes: [
    'The keychain checks write, read back and delete one test item; the agent also reads each profile\'s key item to see that it is there (the key never leaves the agent).',
    'A background agent that cannot reach the keychain while this shell can is replaced by one started from this shell, and doctor says so.',
    'Exit code 1 when a check fails.',
    EXIT_CODES_HELP,
  ],
});

type Check = DoctorFinding;

/** Roles Anywhere refuses requests signed more than this far from its own clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;
const SKEW_WARNING_MS = 60 * 1000;
const PROBE_TIMEOUT_MS = 5000;
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

interface ShellKeychain {
  readonly reach: KeychainReach;
  readonly problem?: ProblemView;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const shell = await shellKeychain();
  const checks: Check[] = [];
  let agentView: DoctorReport['agent'] | undefined;
  let agent: AgentClient | undefined;
  try {
    const before = await runningAgentInfo();
    agent = await connect();
    const report = await agent.call('doctor.check', {});
    agentView = report.agent;
    checks.push(keychainCheck(shell, report.agent.keychain));
    checks.push(...agentChecks(report.agent, shell, before));
    const { profiles } = await agent.call('state.get', {});
    checks.push(proxyCheck(process.env));
    checks.push(...(await clockChecks(profiles)));
    checks.push(...report.findings);
  } catch (error) {
    const problem = toErrorInfo(error);
    checks.push(keychainCheck(shell, undefined));
    checks.push({ name: 'agent', status: 'fail', detail: `${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`, next: problem.next });
    checks.push(proxyCheck(process.env));
    checks.push({ name: 'profiles', status: 'warn', detail: 'not checked: the agent could not be reached', next: 'Fix the agent first, then run `rolecall doctor` again.' });
  } finally {
    await agent?.close();
  }
  const ok = checks.every((check) => check.status !== 'fail');
  const agentJson = agentView && { pid: agentView.pid, host: agentView.host, version: agentView.version, startedAt: agentView.startedAt, uptimeSeconds: agentView.uptimeSeconds, keychain: agentView.keychain };
  process.stdout.write(values.json ? `${JSON.stringify({ ok, ...(agentJson && { agent: agentJson }), checks }, null, 2)}\n` : render(checks, createTerminalOutput(process.stdout)));
  return ok ? 0 : 1;
}

/** This shell's own keychain: a locked keyring was reached (this session unlocks it). */
async function shellKeychain(): Promise<ShellKeychain> {
  try {
    await new KeytarSecretStore().probe();
    return { reach: 'reachable' };
  } catch (error) {
    const problem = toErrorInfo(error);
    return { reach: reachAfter(error), problem };
  }
}

/** The agent that answered before this command connected, if any: to tell whether connecting replaced it. */
async function runningAgentInfo(): Promise<AgentInfo | undefined> {
  try {
    const client = await connectAgent(socketPath());
    await client.close();
    return client.info;
  } catch {
    // None runs, or it cannot answer: connect() below starts one or says why.
    return undefined;
  }
}

function keychainCheck(shell: ShellKeychain, agentReach: KeychainReach | undefined): Check {
  const problem = shell.problem && `${shell.problem.message}${shell.problem.detail ? ` (${shell.problem.detail})` : ''}`;
  if (shell.problem === undefined) return { name: 'keychain', status: 'ok', detail: 'reachable from this shell: a test item was written, read back and deleted' };
  if (shell.reach === 'reachable') return { name: 'keychain', status: 'fail', detail: problem ?? '', next: shell.problem.next };
  // Commands go through the agent: a shell without a D-Bus session (ssh) is fine while the agent has one.
  if (agentReach === 'reachable') {
    return { name: 'keychain', status: 'warn', detail: `not reachable from this shell (${problem ?? ''}); the agent reaches it, and commands go through the agent`, next: shell.problem.next };
  }
  return { name: 'keychain', status: 'fail', detail: problem ?? '', next: shell.problem.next };
}

function agentChecks(agent: DoctorReport['agent'], shell: ShellKeychain, before: AgentInfo | undefined): Check[] {
  const host = agent.host === 'app' ? 'the Rolecall app' : 'the background agent';
  const checks: Check[] = [{ name: 'agent', status: 'ok', detail: `${host} answers (pid ${agent.pid}, version ${agent.version}, running for ${formatDuration(agent.uptimeSeconds)}, data in ${agent.dataDir})` }];
  if (before !== undefined && before.pid !== agent.pid && before.keychain === 'unreachable') {
    checks.push({
      name: 'agent replaced',
      status: 'warn',
      detail: `the background agent that ran (pid ${before.pid}) could not reach the keychain; it handed over to one started from this shell (pid ${agent.pid}), which resumed its sessions`,
      next: 'Nothing to do. Start Rolecall from your desktop session (or `rolecall agent install`) so the agent always has the keychain.',
    });
  }
  const problem = agent.keychainProblem && `${agent.keychainProblem.message}${agent.keychainProblem.detail ? ` (${agent.keychainProblem.detail})` : ''}`;
  if (agent.keychain === 'reachable') {
    checks.push(agent.keychainProblem ? { name: 'agent keychain', status: 'fail', detail: problem ?? '', next: agent.keychainProblem.next } : { name: 'agent keychain', status: 'ok', detail: 'the agent reaches the keychain too' });
  } else if (shell.reach === 'reachable') {
    checks.push({
      name: 'agent keychain',
      status: 'fail',
      detail: `the agent cannot reach the keychain (${problem ?? 'unknown'}), while this shell can`,
      next: agent.host === 'app' ? 'Quit the Rolecall app and start it again from your desktop session.' : 'Run `rolecall agent restart` from this shell: the new agent gets this shell\'s keychain and resumes every session.',
    });
  } else {
    checks.push({ name: 'agent keychain', status: 'fail', detail: `neither the agent nor this shell reaches the keychain (${problem ?? 'unknown'})`, next: agent.keychainProblem?.next ?? ERRORS.KEYCHAIN_UNAVAILABLE.next });
  }
  return checks;
}

function proxyCheck(env: NodeJS.ProcessEnv): Check {
  const set = PROXY_VARIABLES.filter((name) => env[name]);
  if (set.length === 0) return { name: 'proxy', status: 'ok', detail: 'no proxy variables set: connections to Roles Anywhere go direct' };
  const shown = set.map((name) => `${name}=${withoutUserInfo(env[name] ?? '')}`).join(' ');
  return {
    name: 'proxy',
    status: 'ok',
    detail: `${shown}; drop-in \`rolecall credential-process\` with certificate flags uses these only with --with-proxy, as aws_signing_helper does`,
  };
}

/** A proxy URL can carry a password: never print it. */
function withoutUserInfo(value: string): string {
  return value.replace(/\/\/[^/@\s]*@/g, '//…@');
}

/** The clock against each Roles Anywhere endpoint the profiles use: its Date header versus ours. */
async function clockChecks(profiles: readonly ProfileView[]): Promise<Check[]> {
  const origins = new Set<string>();
  for (const profile of profiles) {
    try {
      origins.add(new URL(resolveEndpoint({ region: profile.signingRegion, ...(profile.endpoint !== undefined && { endpoint: profile.endpoint }) }).url).origin);
    } catch {
      // An endpoint the profile cannot use shows up when it is activated; there is no clock to compare here.
    }
  }
  if (origins.size === 0) return [{ name: 'clock', status: 'ok', detail: 'not compared: no profile names a Roles Anywhere endpoint yet' }];
  const transport = createNodeTransport();
  try {
    return await Promise.all([...origins].map(async (origin) => clockCheck(origin, await measureSkew(transport, origin))));
  } finally {
    await transport.close();
  }
}

type Skew = { readonly ms: number } | { readonly unreachable: string } | { readonly noDate: true };

async function measureSkew(transport: ReturnType<typeof createNodeTransport>, origin: string): Promise<Skew> {
  const sent = Date.now();
  let date: string | undefined;
  try {
    date = (await transport({ method: 'GET', url: `${origin}/`, headers: {}, timeoutMs: PROBE_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES })).headers.date;
  } catch (error) {
    const problem = toErrorInfo(error);
    return { unreachable: `${problem.message}${problem.detail ? ` (${problem.detail})` : ''}` };
  }
  const received = Date.now();
  const server = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(server)) return { noDate: true };
  // The Date header has whole seconds: the server's time lies somewhere in the following second.
  return { ms: (sent + received) / 2 - (server + 500) };
}

function clockCheck(origin: string, skew: Skew): Check {
  const name = `clock vs ${new URL(origin).host}`;
  if ('unreachable' in skew) {
    return { name, status: 'warn', detail: `could not reach ${origin}: ${skew.unreachable}`, next: ERRORS.NETWORK.next };
  }
  if ('noDate' in skew) return { name, status: 'warn', detail: `${origin} answered without a usable Date header, so the clocks could not be compared` };
  const seconds = Math.round(Math.abs(skew.ms) / 1000);
  const direction = skew.ms > 0 ? 'ahead of' : 'behind';
  const fixClock = 'Set this computer\'s clock right (turn on automatic time / NTP), then try again.';
  if (Math.abs(skew.ms) > MAX_SKEW_MS) {
    return { name, status: 'fail', detail: `this computer's clock is ${seconds} s ${direction} the service; Roles Anywhere refuses signatures more than 5 minutes off`, next: fixClock };
  }
  if (Math.abs(skew.ms) > SKEW_WARNING_MS) return { name, status: 'warn', detail: `this computer's clock is ${seconds} s ${direction} the service (5 minutes are allowed)`, next: fixClock };
  return { name, status: 'ok', detail: seconds <= 1 ? 'agrees with the service' : `${seconds} s ${direction} the service (5 minutes are allowed)` };
}

function render(checks: readonly Check[], out: TerminalOutput): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  const mark = { ok: out.green('✔'), warn: out.yellow('!'), fail: out.red('✖') } as const;
  const lines = checks.map((check) => {
    const line = `${mark[check.status]} ${check.name.padEnd(width)}  ${check.detail}`;
    return check.next && check.status !== 'ok' ? `${line}\n  ${' '.repeat(width)}  → ${check.next}` : line;
  });
  const failed = checks.filter((check) => check.status === 'fail').length;
  const warned = checks.filter((check) => check.status === 'warn').length;
  lines.push('', failed > 0 ? out.red(`${failed} check${failed === 1 ? '' : 's'} failed.`) : warned > 0 ? out.yellow(`No failures; ${warned} warning${warned === 1 ? '' : 's'}.`) : out.green('Everything looks right.'));
  return `${lines.join('\n')}\n`;
}
