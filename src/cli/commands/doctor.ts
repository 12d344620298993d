// `rolecall doctor`: checks what Rolecall needs from this machine — the keychain, the agent, a clock that
// agrees with Roles Anywhere, the proxy settings, usable certificates, and AWS profile names that nobody
// else writes credentials under — each with ok/warn/fail and what to do next.
import { homedir } from 'node:os';
import type { AgentClient } from '../../core/agent';
import { awsFilePaths, findForeignCredentials, profileSection } from '../../core/awsfiles';
import { createNodeTransport } from '../../core/platform/node-transport';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../core/platform/transport';
import { profileFilePaths } from '../../core/profiles/delivery';
import { ProfileRepository } from '../../core/profiles/repository';
import { resolveEndpoint } from '../../core/rolesanywhere/endpoint';
import { KeytarSecretStore } from '../../core/secrets';
import { ERRORS, toErrorInfo } from '../../shared/errors';
import type { AgentInfo, ProfileView } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput, type TerminalOutput } from '../output';
import { connect } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall doctor [--json]',
  summary: 'Check this machine for what Rolecall needs: the OS keychain, the agent, the clock against Roles Anywhere, proxy settings, certificates that expire, and AWS profile names that hold credentials Rolecall did not write.',
  options: [
    ['--json', 'Print the checks as JSON: {ok, checks: [{name, status, detail, next}]}'],
    ['--help', 'Show this help'],
  ],
  notes: ['The keychain check writes, reads back and deletes one test item; it reads none of Rolecall\'s items.', 'Exit code 1 when a check fails.', EXIT_CODES_HELP],
});

type Status = 'ok' | 'warn' | 'fail';

interface Check {
  readonly name: string;
  readonly status: Status;
  readonly detail: string;
  readonly next?: string;
}

/** Roles Anywhere refuses requests signed more than this far from its own clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;
const SKEW_WARNING_MS = 60 * 1000;
const EXPIRY_WARNING_DAYS = 14;
const PROBE_TIMEOUT_MS = 5000;
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const checks: Check[] = [await keychainCheck()];
  let agent: AgentClient | undefined;
  try {
    agent = await connect();
    const info = await agent.call('agent.info', {});
    checks.push(agentCheck(info));
    const { profiles } = await agent.call('state.get', {});
    checks.push(proxyCheck(process.env));
    checks.push(...(await clockChecks(profiles)));
    checks.push(...certificateChecks(profiles));
    checks.push(...(await nameChecks(profiles, info.dataDir).catch((error: unknown) => [notChecked('AWS profile names', error)])));
  } catch (error) {
    const problem = toErrorInfo(error);
    checks.push({ name: 'agent', status: 'fail', detail: `${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`, next: problem.next });
    checks.push(proxyCheck(process.env));
    checks.push({ name: 'profiles', status: 'warn', detail: 'not checked: the agent could not be reached', next: 'Fix the agent first, then run `rolecall doctor` again.' });
  } finally {
    await agent?.close();
  }
  const ok = checks.every((check) => check.status !== 'fail');
  process.stdout.write(values.json ? `${JSON.stringify({ ok, checks }, null, 2)}\n` : render(checks, createTerminalOutput(process.stdout)));
  return ok ? 0 : 1;
}

async function keychainCheck(): Promise<Check> {
  try {
    await new KeytarSecretStore().probe();
    return { name: 'keychain', status: 'ok', detail: 'reachable: a test item was written, read back and deleted' };
  } catch (error) {
    const problem = toErrorInfo(error);
    return { name: 'keychain', status: 'fail', detail: `${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`, next: problem.next };
  }
}

function agentCheck(info: AgentInfo): Check {
  const host = info.host === 'app' ? 'the Rolecall app' : 'the background agent';
  return { name: 'agent', status: 'ok', detail: `${host} answers (pid ${info.pid}, version ${info.version}, data in ${info.dataDir})` };
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

function certificateChecks(profiles: readonly ProfileView[]): Check[] {
  const rotate = (name: string) => `\`rolecall profiles edit ${name} --certificate FILE --private-key FILE\``;
  const checks: Check[] = [];
  for (const profile of profiles) {
    const name = `certificate of ${profile.name}`;
    const until = profile.certificate.notAfter;
    if (profile.certificateState === 'expired') {
      checks.push({ name, status: 'fail', detail: `expired on ${until}`, next: `${ERRORS.CERT_EXPIRED.next} Then ${rotate(profile.name)}.` });
    } else if (profile.certificateState === 'not-yet-valid') {
      checks.push({ name, status: 'fail', detail: `not valid before ${profile.certificate.notBefore}`, next: ERRORS.CERT_NOT_YET_VALID.next });
    } else if (profile.certificateState === 'expiring' || profile.certificateDaysLeft <= EXPIRY_WARNING_DAYS) {
      checks.push({ name, status: 'warn', detail: `expires in ${profile.certificateDaysLeft} days (${until})`, next: `Ask your CA for a new certificate, then ${rotate(profile.name)}.` });
    }
  }
  if (checks.length === 0) {
    const detail = profiles.length === 0 ? 'no profiles yet' : `${profiles.length === 1 ? 'the certificate is' : `all ${profiles.length} are`} valid for more than ${EXPIRY_WARNING_DAYS} days`;
    checks.push({ name: 'certificates', status: 'ok', detail });
  }
  return checks;
}

/**
 * AWS profile names that hold credentials Rolecall did not write: activating the Rolecall profile would be
 * refused (and tools may pick up the other credentials meanwhile). What Rolecall owns comes from its store.
 */
async function nameChecks(profiles: readonly ProfileView[], dataDir: string): Promise<Check[]> {
  const repository = new ProfileRepository({ dataDir });
  const userPaths = awsFilePaths(process.env, homedir());
  const checks: Check[] = [];
  for (const profile of profiles) {
    const definition = await repository.get(profile.name);
    if (!definition || definition.takeOver) continue;
    const paths = profileFilePaths(definition, userPaths);
    const record = await repository.getDelivery(profile.name);
    const owned = record && record.paths.credentials === paths.credentials && record.paths.config === paths.config ? record.owned : {};
    const foreign = await findForeignCredentials(paths, profile.name, owned);
    for (const kind of ['credentials', 'config'] as const) {
      if (foreign[kind].length === 0) continue;
      checks.push({
        name: `AWS profile ${profile.name}`,
        status: 'fail',
        detail: `[${profileSection(kind, profile.name).header}] in ${paths[kind]} has ${foreign[kind].join(', ')}, which Rolecall did not write; activating ${profile.name} would be refused`,
        next: `Remove those lines, rename the Rolecall profile (\`rolecall profiles rename ${profile.name} NEW\`), or let Rolecall take the name over (\`rolecall profiles edit ${profile.name} --force\`).`,
      });
    }
  }
  if (checks.length === 0) checks.push({ name: 'AWS profile names', status: 'ok', detail: profiles.length === 0 ? 'no profiles yet' : 'no other credentials under Rolecall\'s profile names in the AWS files' });
  return checks;
}

function notChecked(name: string, error: unknown): Check {
  const problem = toErrorInfo(error);
  return { name, status: 'warn', detail: `not checked: ${problem.message}${problem.detail ? ` (${problem.detail})` : ''}`, next: problem.next };
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
