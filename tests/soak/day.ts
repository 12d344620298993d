// A laptop's day on a virtual clock, shared by the short soak test (tests/soak/day.test.ts) and the
// 24-hour benchmark (bench/day.bench.ts). Real parts throughout: the composition root createRolecall
// with a temp data folder and temp AWS files, the node transport over 127.0.0.1 to two sandboxes (one
// per region), real signing, real file writes; only time is simulated, and the agent's death is
// emulated in-process (its timers never fire again, its pending work never resumes).
//
// The service's clock is true time; the laptop's wall clock is true time plus a skew the day changes
// (NTP steps) and both move together through a suspend, while the monotonic clock stops.
import 'reflect-metadata';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMemoryLogger } from '../../src/core/log';
import type { Clock, TimerHandle } from '../../src/core/platform/clock';
import { createNodeTransport, type NodeTransport } from '../../src/core/platform/node-transport';
import type { HttpTransport } from '../../src/core/platform/transport';
import { createRolecall, type Rolecall } from '../../src/core/rolecall';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { generateKey, issueCertificate, type IssuedCertificate } from '../../src/sandbox/certificate-factory';
import { mulberry32, type FaultRates } from '../../src/sandbox/faults';
import { startSandbox, type Sandbox, type SandboxSwitches } from '../../src/sandbox/server';
import type { OperationInput, OperationName, OperationOutput } from '../../src/shared/contract';
import type { ProfileStatus } from '../../src/shared/model';
import type { ParsedInput } from '../../src/core/agent';
import { VirtualClock } from '../helpers/virtual-clock';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const ACCOUNT = '123456789012';
const DAY = Date.UTC(2026, 2, 2);
const NOON = DAY + 12 * HOUR;
/** After a resume or a clock step the agent has one wake (60 s) and a mint to catch up. */
const CATCH_UP_GRACE_MS = 90 * SECOND;

export type RegionKey = 'a' | 'b';
const REGIONS: Readonly<Record<RegionKey, string>> = { a: 'us-east-1', b: 'eu-west-1' };

/** What happens during the day, at a time of day (ms after midnight, true time). */
export type DayEvent =
  | { readonly at: number; readonly kind: 'switches'; readonly region: RegionKey; readonly set: Partial<SandboxSwitches>; readonly label: string }
  | { readonly at: number; readonly kind: 'outage'; readonly region: RegionKey; readonly forMs: number; readonly refusal: 'fail' | 'throttle' | 'drop' }
  | { readonly at: number; readonly kind: 'restart' }
  | { readonly at: number; readonly kind: 'clockStep'; readonly byMs: number }
  | { readonly at: number; readonly kind: 'suspend'; readonly forMs: number };

export interface DayPlan {
  /** Time of day the run starts and how long it lasts (true time, suspends included). */
  readonly startsAt: number;
  readonly lastsMs: number;
  readonly events: readonly DayEvent[];
  /** Random faults in force all day, on both regions. */
  readonly baseline: FaultRates;
  readonly seed: number;
}

export interface DayOptions {
  readonly plan: DayPlan;
  /** The keychain every incarnation of the agent shares (it survives the agent, as the OS keychain does). */
  readonly secrets: SecretStore;
  readonly profiles?: number;
  /** How often the delivered state is sampled (simulated); default one minute. */
  readonly sampleEveryMs?: number;
  readonly progress?: (line: string) => void;
  /** Profiles whose state events join their trail, to explain a failed check. */
  readonly watch?: readonly string[];
}

export interface DayFigures {
  readonly simulatedHours: number;
  readonly profiles: number;
  readonly restarts: number;
  /** Seconds a delivered credential was expired while its region answered and the laptop was awake (goal 0). */
  readonly expiredSeconds: number;
  /** Which profile and when, for each expired sample counted above (first 20). */
  readonly expiredSamples: readonly string[];
  /** Activated profiles a new agent showed as inactive after a restart (goal 0). */
  readonly activationsLost: number;
  readonly createSessionsPerProfileHour: { readonly mean: number; readonly max: number };
  /** The most CreateSession calls one profile made within one simulated minute. */
  readonly maxCallsInOneMinute: number;
  /** Profiles whose calls exceeded their bound (see callBound). */
  readonly overBound: readonly string[];
  /** The longest run of samples in which one profile's status contradicted what it delivered. */
  readonly longestStaleSeconds: number;
  readonly longestStaleProfile: string | undefined;
  /** The profile whose certificate expired at noon. */
  readonly noonProfile: { readonly name: string; readonly expiredSecondsBeforeNoon: number; readonly finalStatus: ProfileStatus | 'unknown'; readonly lastErrorCode: string | undefined };
  /** Longest time, after a resume or clock step, until every profile held live credentials again. */
  readonly longestCatchUpSeconds: number;
  readonly requests: { readonly total: number; readonly byStatus: Readonly<Record<string, number>>; readonly faults: Readonly<Record<string, number>> };
  readonly secretsInLog: number;
  readonly realSeconds: number;
  /** Every CreateSession per profile, as "HH:MM:SS status faults", to explain a failed check. */
  readonly trail: Readonly<Record<string, readonly string[]>>;
}

interface ProfileSpec {
  readonly name: string;
  readonly region: RegionKey;
  readonly durationSeconds: number;
  readonly roleArn: string;
  readonly expiresAtNoon: boolean;
}

interface Incarnation {
  readonly rolecall: Rolecall;
  kill(): void;
}

/** A view of the shared clock for one agent incarnation: once killed, none of its timers fire again. */
function mortalClock(clock: VirtualClock): { clock: Clock; kill(): void } {
  let dead = false;
  const live = new Set<TimerHandle>();
  const view: Clock = {
    now: () => clock.now(),
    monotonic: () => clock.monotonic(),
    setTimer(delayMs, callback) {
      if (dead) return { cancel: () => undefined };
      const handle = clock.setTimer(delayMs, () => {
        live.delete(handle);
        if (!dead) callback();
      });
      live.add(handle);
      return {
        cancel: () => {
          live.delete(handle);
          handle.cancel();
        },
      };
    },
    sleep: (delayMs) => new Promise((resolve) => view.setTimer(delayMs, resolve)),
  };
  return {
    clock: view,
    kill() {
      dead = true;
      for (const handle of live) handle.cancel();
      live.clear();
    },
  };
}

const never = new Promise<never>(() => undefined);

/** Work a dead incarnation started never comes back to it, as nothing comes back to a killed process. */
function mortal<T>(work: () => Promise<T>, isDead: () => boolean, track: <U>(p: Promise<U>) => Promise<U>): Promise<T> {
  if (isDead()) return never;
  return track(work()).then((value) => (isDead() ? never : value));
}

/** One operation of the agent, called as its socket server would after checking the input. */
async function call<N extends OperationName>(rolecall: Rolecall, operation: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const handler = rolecall.handlers[operation] as ((input: ParsedInput<N>) => Promise<unknown>) | undefined;
  if (!handler) throw new Error(`the agent has no ${operation}`);
  return (await handler(input as ParsedInput<N>)) as OperationOutput<N>;
}

export function calendar(at: number): string {
  return new Date(DAY + at).toISOString().slice(11, 16);
}

export async function runDay(options: DayOptions): Promise<DayFigures> {
  const started = performance.now();
  const { plan } = options;
  const profileCount = options.profiles ?? 20;
  const sampleEvery = options.sampleEveryMs ?? MINUTE;
  const say = options.progress ?? (() => undefined);

  const clock = new VirtualClock({ start: DAY + plan.startsAt });
  clock.io.watchNativeWork();
  let skewMs = 0;
  const trueNow = () => clock.now() - skewMs;
  const timeOfDay = () => trueNow() - DAY;

  const root = await mkdtemp(join(tmpdir(), 'rolecall-day-'));
  const home = join(root, 'home');
  const dataDir = join(root, 'data');
  const credentialsFile = join(home, '.aws', 'credentials');
  await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
  await mkdir(join(root, 'pki'), { mode: 0o700 });

  // The PKI: one root (the trust anchor of both regions), one leaf per profile; one leaf ends at noon.
  const rootKey = await generateKey('ec-p256');
  const notBefore = new Date(DAY - 2 * 24 * HOUR);
  const anchor = await issueCertificate({ subject: 'CN=Day Root, O=Rolecall Soak', key: rootKey, ca: true, notBefore, notAfter: new Date(DAY + 400 * 24 * HOUR) });
  const specs: ProfileSpec[] = [];
  for (let i = 1; i <= profileCount; i++) {
    const region: RegionKey = i <= profileCount / 2 ? 'a' : 'b';
    const indexInRegion = region === 'a' ? i : i - Math.floor(profileCount / 2);
    const name = `p${String(i).padStart(2, '0')}`;
    specs.push({
      name,
      region,
      // Three in ten use the service's shortest session, the rest its default hour.
      durationSeconds: indexInRegion % 10 >= 7 || indexInRegion % 10 === 0 ? 900 : 3600,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/day/${name}`,
      expiresAtNoon: i === 5,
    });
  }
  const noonSpec = specs.find((spec) => spec.expiresAtNoon);
  const leaves = new Map<string, IssuedCertificate>();
  for (const spec of specs) {
    const leaf = await issueCertificate({
      subject: `CN=${spec.name}, OU=soak, O=Rolecall Soak`,
      key: await generateKey('ec-p256'),
      issuer: anchor,
      notBefore,
      notAfter: new Date(spec.expiresAtNoon ? NOON : DAY + 30 * 24 * HOUR),
    });
    leaves.set(spec.name, leaf);
    await writeFile(join(root, 'pki', `${spec.name}.pem`), leaf.pem, { mode: 0o600 });
    await writeFile(join(root, 'pki', `${spec.name}.key`), leaf.key.privateKeyPem, { mode: 0o600 });
  }

  // The sandbox waits out latency on the virtual clock, parked so the clock does not wait for itself.
  const sleep = (ms: number) => clock.io.park(clock.sleep(ms));
  const sandboxes = {} as Record<RegionKey, Sandbox>;
  for (const region of ['a', 'b'] as const) {
    const sandbox = await startSandbox({
      region: REGIONS[region],
      account: ACCOUNT,
      // True time: the laptop's clock steps do not move the service's.
      clock: trueNow,
      sleep,
      trustAnchors: [{ name: 'day-root', caPem: anchor.pem }],
      profiles: [{ name: 'day', roleArns: specs.map((spec) => spec.roleArn), durationSeconds: 3600, acceptRoleSessionName: true }],
      roles: specs.map((spec) => ({ arn: spec.roleArn, maxSessionDurationSeconds: 43200 })),
    });
    Object.assign(sandbox.switches, { faultRates: { ...plan.baseline }, faultSeed: plan.seed + (region === 'a' ? 0 : 1), dripByteMs: 50 });
    sandboxes[region] = sandbox;
  }
  const issued = (accessKeyId: string) => sandboxes.a.issuedCredentials(accessKeyId) ?? sandboxes.b.issuedCredentials(accessKeyId);

  const logger = createMemoryLogger({ redact: false });
  const trail: Record<string, string[]> = {};
  // Rolecall's jitter from the plan's seed too, so a day can be run again as it was.
  const random = mulberry32(plan.seed ^ 0x5eed);
  const transports: NodeTransport[] = [];
  const env = { HOME: home, PATH: process.env.PATH, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: join(home, '.aws', 'config') };

  const incarnate = async (): Promise<Incarnation> => {
    const life = mortalClock(clock);
    let dead = false;
    const isDead = () => dead;
    const track = <U>(p: Promise<U>) => clock.io.track(p);
    const node = createNodeTransport();
    transports.push(node);
    const transport: HttpTransport = (request) => mortal(() => node(request), isDead, track);
    const store = options.secrets;
    const secrets: SecretStore = {
      get: (account) => mortal(() => store.get(account), isDead, track),
      set: (account, value) => mortal(() => store.set(account, value), isDead, track),
      delete: (account) => mortal(() => store.delete(account), isDead, track),
      probe: () => mortal(() => store.probe(), isDead, track),
    };
    const rolecall = await drive(
      createRolecall({
        dataDir,
        env,
        platform: process.platform,
        homedir: home,
        clock: life.clock,
        transport,
        secrets,
        logger,
        host: 'headless',
        version: '0.0.0-day',
        cliCommand: [process.execPath, resolve('bin/rolecall.mjs')],
        random,
      }),
    );
    rolecall.subscribe((event, payload) => {
      const view = payload as { name?: string; status?: string; expiresAt?: string; lastError?: { code: string } };
      if (event !== 'profile.changed' || view.name === undefined || !options.watch?.includes(view.name)) return;
      (trail[view.name] ??= []).push(`${new Date(trueNow()).toISOString().slice(11, 19)} ${dead ? 'DEAD ' : ''}${view.status} until ${view.expiresAt?.slice(11, 19) ?? '-'}${view.lastError ? ` ${view.lastError.code}` : ''}`);
    });
    return {
      rolecall,
      kill() {
        dead = true;
        life.kill();
      },
    };
  };

  /**
   * Lets virtual time pass, a second at a time, until `work` settles; returns or throws its result.
   * Each step first gives real time a few milliseconds: file locks retry on real timers.
   */
  async function drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (let waited = 0; !settled; waited += SECOND) {
      if (waited > 30 * MINUTE) throw new Error('an operation did not finish within 30 minutes of virtual time');
      await Promise.race([watched.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5))]);
      if (!settled) await clock.advance(SECOND);
    }
    return watched;
  }

  // Morning: add every profile and activate it, as a user would, through the agent's operations.
  let agent = await incarnate();
  // A dripping answer is cut at this deadline (real time, as the transport measures it).
  await call(agent.rolecall, 'settings.set', { requestTimeoutSeconds: 2 });
  for (const spec of specs) {
    const draft = await drive(call(agent.rolecall, 'drafts.open', { certificatePath: join(root, 'pki', `${spec.name}.pem`), privateKeyPath: join(root, 'pki', `${spec.name}.key`) }));
    const sandbox = sandboxes[spec.region];
    await drive(
      call(agent.rolecall, 'profiles.add', {
        name: spec.name,
        draftId: draft.draftId,
        trustAnchorArn: sandbox.config.trustAnchors[0]?.arn ?? '',
        profileArn: sandbox.config.profiles[0]?.arn ?? '',
        roleArn: spec.roleArn,
        durationSeconds: spec.durationSeconds,
        roleSessionName: spec.name,
        endpoint: sandbox.url,
      }),
    );
  }
  const activated = new Set<string>();
  await drive(
    Promise.all(
      specs.map(async (spec) => {
        await call(agent.rolecall, 'sessions.activate', { name: spec.name });
        activated.add(spec.name);
      }),
    ),
  );
  say(`${calendar(timeOfDay())} ${activated.size} profiles active`);

  // Measurements.
  const outages: { region: RegionKey; from: number; to: number }[] = [];
  let graceUntil = -Infinity;
  let expiredSeconds = 0;
  const expiredSamples: string[] = [];
  let noonExpiredBefore = 0;
  let activationsLost = 0;
  let restarts = 0;
  const staleSince = new Map<string, number>();
  let longestStale = { ms: 0, name: undefined as string | undefined };
  let catchUpFrom: number | undefined;
  let longestCatchUp = 0;

  const regionServing = (region: RegionKey, at: number) => !outages.some((o) => o.region === region && at >= o.from && at < o.to);
  // "While the service answered at least once a minute": the whole minute before the sample was served,
  // so a retry at least once a minute had its chance.
  const servedAllMinute = (region: RegionKey, at: number) => !outages.some((o) => o.region === region && o.from < at && o.to > at - MINUTE);

  async function deliveredKeys(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    let text: string;
    try {
      text = await readFile(credentialsFile, 'utf8');
    } catch {
      return keys;
    }
    let section: string | undefined;
    for (const line of text.split(/\r?\n/)) {
      const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
      if (header) section = header[1];
      const key = /^\s*aws_access_key_id\s*=\s*(\S+)/.exec(line);
      if (key && section !== undefined) keys.set(section, key[1] ?? '');
    }
    return keys;
  }

  async function sample(): Promise<void> {
    const at = timeOfDay();
    const now = trueNow();
    const keys = await deliveredKeys();
    const state = await call(agent.rolecall, 'state.get', {});
    const statusOf = new Map(state.profiles.map((profile) => [profile.name, profile.status]));
    let allLive = true;
    for (const spec of specs) {
      const accessKeyId = keys.get(spec.name);
      const expiresAt = accessKeyId === undefined ? undefined : issued(accessKeyId)?.expiresAt;
      const live = expiresAt !== undefined && expiresAt > now;
      const status = statusOf.get(spec.name) ?? 'inactive';
      const certificateGone = spec.expiresAtNoon && now >= NOON;
      if (!live && !certificateGone) allLive = false;
      const counted = !live && servedAllMinute(spec.region, at) && at >= graceUntil;
      if (spec.expiresAtNoon) {
        if (counted && !certificateGone) noonExpiredBefore += sampleEvery / SECOND;
      } else if (counted) {
        expiredSeconds += sampleEvery / SECOND;
        if (expiredSamples.length < 20) expiredSamples.push(`${calendar(at)} ${spec.name} ${status} ${accessKeyId === undefined ? 'nothing delivered' : `expired ${expiresAt === undefined ? '(unknown key)' : calendar(expiresAt - DAY)}`}`);
      }
      // Stale: the status promises what the file does not hold, or gives up while the service would answer.
      const claimsLive = status === 'active' || status === 'refreshing';
      const givesUp = (status === 'failed' || status === 'expired' || status === 'inactive') && regionServing(spec.region, at) && !certificateGone && at >= graceUntil;
      const stale = (claimsLive && !live) || givesUp;
      if (stale) {
        const since = staleSince.get(spec.name) ?? at;
        staleSince.set(spec.name, since);
        const lasted = at - since + sampleEvery;
        if (lasted > longestStale.ms) longestStale = { ms: lasted, name: spec.name };
      } else {
        staleSince.delete(spec.name);
      }
    }
    if (catchUpFrom !== undefined && allLive) {
      longestCatchUp = Math.max(longestCatchUp, at - catchUpFrom);
      catchUpFrom = undefined;
    }
  }

  async function restart(): Promise<void> {
    // Only at a quiet moment, as a SIGKILL between two writes: torn writes are the torture test's job.
    await clock.settle();
    agent.kill();
    agent = await incarnate();
    restarts++;
    const state = await call(agent.rolecall, 'state.get', {});
    const lost = state.profiles.filter((profile) => activated.has(profile.name) && profile.status === 'inactive').map((profile) => profile.name);
    activationsLost += lost.length;
    say(`${calendar(timeOfDay())} restart ${restarts}: ${lost.length === 0 ? 'every activation resumed' : `lost ${lost.join(' ')}`}`);
  }

  async function apply(event: DayEvent): Promise<void> {
    switch (event.kind) {
      case 'switches':
        Object.assign(sandboxes[event.region].switches, event.set);
        say(`${calendar(event.at)} ${REGIONS[event.region]}: ${event.label}`);
        return;
      case 'outage': {
        const switches = sandboxes[event.region].switches;
        const before = { ...switches.faultRates };
        switches.faultRates = { ...before, [event.refusal]: 1 };
        outages.push({ region: event.region, from: event.at, to: event.at + event.forMs });
        pending.push({ at: event.at + event.forMs, kind: 'switches', region: event.region, set: { faultRates: before }, label: 'outage over' });
        say(`${calendar(event.at)} ${REGIONS[event.region]}: every request answered ${event.refusal} for ${event.forMs / MINUTE} min`);
        return;
      }
      case 'restart':
        await restart();
        return;
      case 'clockStep':
        // The laptop's clock steps; the service's does not.
        clock.jumpWall(event.byMs);
        skewMs += event.byMs;
        graceUntil = event.at + CATCH_UP_GRACE_MS;
        catchUpFrom ??= event.at;
        say(`${calendar(event.at)} laptop clock steps ${event.byMs > 0 ? '+' : ''}${event.byMs / MINUTE} min`);
        return;
      case 'suspend':
        clock.jumpWall(event.forMs);
        // The desktop host's powerMonitor 'resume' handler.
        agent.rolecall.recheck();
        graceUntil = event.at + event.forMs + CATCH_UP_GRACE_MS;
        catchUpFrom = event.at + event.forMs;
        say(`${calendar(event.at)} suspended for ${event.forMs / HOUR} h`);
        return;
    }
  }

  const pending: DayEvent[] = [...plan.events];
  const end = plan.startsAt + plan.lastsMs;
  let nextSample = timeOfDay() + sampleEvery;
  for (;;) {
    pending.sort((x, y) => x.at - y.at);
    const nextEvent = pending[0];
    const target = Math.min(nextSample, nextEvent?.at ?? Infinity, end);
    const step = target - timeOfDay();
    if (step > 0) await clock.advance(step);
    if (nextEvent !== undefined && timeOfDay() >= nextEvent.at) {
      pending.shift();
      await apply(nextEvent);
      continue;
    }
    if (timeOfDay() >= nextSample) {
      await sample();
      nextSample += sampleEvery;
      // A suspend moves the day past samples that the sleeping laptop could not take.
      while (nextSample <= timeOfDay()) nextSample += sampleEvery;
    }
    if (timeOfDay() >= end) break;
  }

  // Figures from what the service saw.
  const simulatedHours = plan.lastsMs / HOUR;
  const records = [...sandboxes.a.requests.entries, ...sandboxes.b.requests.entries].filter((record) => record.operation === 'CreateSession');
  const byStatus: Record<string, number> = {};
  const faults: Record<string, number> = {};
  const calls = new Map<string, number[]>();
  for (const record of records) {
    byStatus[String(record.status)] = (byStatus[String(record.status)] ?? 0) + 1;
    for (const fault of record.faults ?? []) faults[fault] = (faults[fault] ?? 0) + 1;
    const roleArn = new URLSearchParams(record.query).get('roleArn') ?? '';
    const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    calls.set(name, [...(calls.get(name) ?? []), record.at]);
    (trail[name] ??= []).push(`${new Date(record.at).toISOString().slice(11, 19)} ${record.status}${record.faults ? ` ${record.faults.join(',')}` : ''}`);
  }
  const perHour = specs.map((spec) => (calls.get(spec.name)?.length ?? 0) / simulatedHours);
  let maxInMinute = 0;
  for (const times of calls.values()) {
    const sorted = [...times].sort((x, y) => x - y);
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while ((sorted[i] as number) - (sorted[j] as number) >= MINUTE) j++;
      maxInMinute = Math.max(maxInMinute, i - j + 1);
    }
  }
  const overBound = specs.filter((spec) => (calls.get(spec.name)?.length ?? 0) > callBound(spec, plan, restarts)).map((spec) => `${spec.name}: ${calls.get(spec.name)?.length ?? 0} > ${callBound(spec, plan, restarts).toFixed(0)}`);

  const finalState = await call(agent.rolecall, 'state.get', {});
  const noonView = finalState.profiles.find((profile) => profile.name === noonSpec?.name);
  const logText = logger.entries.map((entry) => JSON.stringify(entry)).join('\n');
  const secretsInLog = [...sandboxes.a.allIssuedCredentials(), ...sandboxes.b.allIssuedCredentials()].filter((credentials) => logText.includes(credentials.secretAccessKey) || logText.includes(credentials.sessionToken)).length;

  agent.kill();
  await agent.rolecall.close();
  clock.io.stopWatchingNativeWork();
  await Promise.all(transports.map((transport) => transport.close()));
  await Promise.all([sandboxes.a.stop(), sandboxes.b.stop()]);
  await clock.settle();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });

  return {
    simulatedHours,
    profiles: specs.length,
    restarts,
    expiredSeconds,
    expiredSamples,
    activationsLost,
    createSessionsPerProfileHour: { mean: perHour.reduce((sum, value) => sum + value, 0) / perHour.length, max: Math.max(...perHour) },
    maxCallsInOneMinute: maxInMinute,
    overBound,
    longestStaleSeconds: longestStale.ms / SECOND,
    longestStaleProfile: longestStale.name,
    noonProfile: { name: noonSpec?.name ?? '', expiredSecondsBeforeNoon: noonExpiredBefore, finalStatus: noonView?.status ?? 'unknown', lastErrorCode: noonView?.lastError?.code },
    longestCatchUpSeconds: longestCatchUp / SECOND,
    requests: { total: records.length, byStatus, faults },
    secretsInLog,
    realSeconds: (performance.now() - started) / SECOND,
    trail,
  };
}

/**
 * The most CreateSession calls a profile may make in the day without being a storm: one session per
 * refresh interval (15 minutes before expiry, or at 75% of a short session, less 10% jitter) over the
 * whole day, the extra sessions of any short-lived window, one per restart and the first activation;
 * then half as many again for the retries the random faults cause.
 */
export function callBound(spec: { readonly durationSeconds: number; readonly region: RegionKey }, plan: DayPlan, restarts: number): number {
  const interval = (lifetimeSeconds: number) => 0.9 * Math.min(lifetimeSeconds - 900, 0.75 * lifetimeSeconds) * SECOND;
  let sessions = plan.lastsMs / interval(spec.durationSeconds) + restarts + 1;
  for (const event of plan.events) {
    if (event.kind === 'switches' && event.region === spec.region && event.set.shortLivedSeconds !== undefined) {
      const window = plan.events.find((other) => other.kind === 'switches' && other.region === spec.region && other.at > event.at && 'shortLivedSeconds' in other.set);
      sessions += ((window?.at ?? plan.startsAt + plan.lastsMs) - event.at) / interval(event.set.shortLivedSeconds);
    }
  }
  return Math.ceil(sessions * 1.5);
}

/** Events at times of day. */
const at = (hours: number, minutes = 0) => hours * HOUR + minutes * MINUTE;

/**
 * The whole day: 24 hours from midnight, every fault the issue names, an agent kill every two hours,
 * the certificate that ends at noon, NTP steps both ways and a three-hour suspend in the evening.
 */
export function wholeDay(seed = 20260302): DayPlan {
  const events: DayEvent[] = [
    { at: at(1), kind: 'switches', region: 'a', set: { latencyMs: 3000 }, label: 'every answer 3 s late' },
    { at: at(2), kind: 'switches', region: 'a', set: { latencyMs: 0 }, label: 'latency over' },
    { at: at(3), kind: 'switches', region: 'a', set: { shortLivedSeconds: 120 }, label: 'credentials live 120 s' },
    { at: at(4), kind: 'switches', region: 'a', set: { shortLivedSeconds: undefined }, label: 'credentials live their duration' },
    { at: at(5), kind: 'switches', region: 'a', set: { expiringNext: 4, expiringInSeconds: -60 }, label: 'next 4 answers already expired' },
    { at: at(5, 30), kind: 'switches', region: 'b', set: { expiringNext: 4, expiringInSeconds: 300 }, label: 'next 4 answers expire within 5 minutes' },
    { at: at(6), kind: 'switches', region: 'b', set: { dripNext: 2 }, label: 'next 2 answers drip one byte per 50 ms' },
    { at: at(6, 30), kind: 'switches', region: 'a', set: { oversizedNext: 2 }, label: 'next 2 answers are 60 MiB' },
    { at: at(7), kind: 'outage', region: 'b', forMs: 10 * MINUTE, refusal: 'fail' },
    { at: at(8), kind: 'outage', region: 'a', forMs: 5 * MINUTE, refusal: 'throttle' },
    { at: at(8, 30), kind: 'outage', region: 'b', forMs: 5 * MINUTE, refusal: 'drop' },
    { at: at(9), kind: 'clockStep', byMs: 4 * MINUTE },
    { at: at(9, 40), kind: 'clockStep', byMs: -4 * MINUTE },
    { at: at(10, 20), kind: 'clockStep', byMs: -4 * MINUTE },
    { at: at(11), kind: 'clockStep', byMs: 4 * MINUTE },
    { at: at(19), kind: 'suspend', forMs: 3 * HOUR },
  ];
  for (let hour = 2; hour < 24; hour += 2) events.push({ at: at(hour, 7), kind: 'restart' });
  return { startsAt: 0, lastsMs: 24 * HOUR, events, baseline: BASELINE, seed };
}

/** Three hours around noon with each kind of event once, for `npm test`. */
export function shortDay(seed = 20260302): DayPlan {
  const events: DayEvent[] = [
    { at: at(10, 40), kind: 'switches', region: 'a', set: { latencyMs: 3000 }, label: 'every answer 3 s late' },
    { at: at(10, 50), kind: 'switches', region: 'a', set: { shortLivedSeconds: 120 }, label: 'credentials live 120 s' },
    { at: at(11, 0), kind: 'switches', region: 'a', set: { latencyMs: 0 }, label: 'latency over' },
    { at: at(11, 10), kind: 'switches', region: 'a', set: { shortLivedSeconds: undefined }, label: 'credentials live their duration' },
    { at: at(11, 12), kind: 'switches', region: 'a', set: { expiringNext: 3, expiringInSeconds: -60 }, label: 'next 3 answers already expired' },
    { at: at(11, 14), kind: 'switches', region: 'b', set: { expiringNext: 3, expiringInSeconds: 300 }, label: 'next 3 answers expire within 5 minutes' },
    { at: at(11, 16), kind: 'switches', region: 'b', set: { dripNext: 1 }, label: 'next answer drips one byte per 50 ms' },
    { at: at(11, 18), kind: 'switches', region: 'a', set: { oversizedNext: 1 }, label: 'next answer is 60 MiB' },
    { at: at(11, 20), kind: 'outage', region: 'b', forMs: 10 * MINUTE, refusal: 'fail' },
    { at: at(11, 45), kind: 'outage', region: 'a', forMs: 5 * MINUTE, refusal: 'throttle' },
    { at: at(12, 10), kind: 'clockStep', byMs: 4 * MINUTE },
    { at: at(12, 30), kind: 'clockStep', byMs: -4 * MINUTE },
    { at: at(12, 40), kind: 'suspend', forMs: 40 * MINUTE },
    { at: at(11, 7), kind: 'restart' },
    { at: at(12, 7), kind: 'restart' },
    { at: at(13, 25), kind: 'restart' },
  ];
  return { startsAt: at(10, 30), lastsMs: 3 * HOUR, events, baseline: BASELINE, seed };
}

const BASELINE: FaultRates = { throttle: 0.03, fail: 0.03, drop: 0.02, expiring: 0.02, drip: 0.002, oversized: 0.005 };
