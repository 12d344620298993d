// The session engine the agent owns: one place that mints (at most one CreateSession in flight per
// profile), caches, delivers, refreshes on one timer, retries with backoff and reports each profile's
// state. Timing rules live in refresh-policy.ts and backoff.ts; this file only applies them.
//
// Per profile: inactive → activating → active → refreshing → active | failed → … ; expired once the
// delivered credentials pass their expiry with no success. A failed refresh never withdraws what was
// delivered: tools keep working until those credentials truly expire, while retries continue.
import { isRolecallError, RolecallError, type ErrorInfo } from '../../shared/errors';
import type { ProfileStatus } from '../../shared/model';
import { maskAccessKeyId, type LogFields, type Logger } from '../log';
import type { Clock, TimerHandle } from '../platform/clock';
import type { SessionCredentials } from '../rolesanywhere';
import { isTransient, needsPerson, planRetry } from './backoff';
import type { SessionCache } from './cache';
import { CreateSessionLimiter } from './limiter';
import type { SessionDelivery, SessionMinter, SessionState, SessionTimeline } from './ports';
import { assertUsable, DEFAULT_MIN_VALIDITY_SECONDS, isFreshFor, planRefresh } from './refresh-policy';

export interface SessionManagerOptions {
  readonly minter: SessionMinter;
  readonly delivery: SessionDelivery;
  readonly clock: Clock;
  readonly cache: SessionCache;
  readonly logger: Logger;
  /** [0, 1); jitters refresh and retry times. */
  readonly random?: () => number;
  /** Shared by everything that calls CreateSession in this process; one is made when absent. */
  readonly limiter?: CreateSessionLimiter;
  /**
   * Whether a profile refreshes (and retries) by itself; read at every scheduling decision, so after
   * changing it call recheck(). Default: every profile does.
   */
  readonly autoRefresh?: (name: string) => boolean;
  /**
   * A mint still running after this long is abandoned and counted as a TIMEOUT failure, so one stuck
   * mint (a keychain prompt nobody answers, a transport without a deadline) never blocks the next.
   * The transport's own deadlines end ordinary HTTP trouble well before this. Default 3 minutes.
   */
  readonly mintDeadlineMs?: number;
  /** Where each profile's minted, refreshed, failed, delivered and deactivated events go. */
  readonly timeline?: SessionTimeline;
}

export type StateListener = (state: SessionState) => void;

/** The timer never sleeps longer than this, so a suspend or clock jump is noticed within a minute. */
export const MAX_WAKE_MS = 60_000;
/** Wall and monotonic progress differing by more than this between two wakes means the clock jumped. */
export const CLOCK_JUMP_MS = 5_000;
const DEFAULT_MINT_DEADLINE_MS = 3 * 60_000;

interface Held {
  readonly credentials: SessionCredentials;
  readonly obtainedAt: number;
  readonly expiresAt: number;
  /** Planned (jittered) once, when the credentials arrive. */
  readonly refreshAt: number;
}

type Outcome = { readonly ok: true; readonly held: Held; readonly deliveryError?: RolecallError } | { readonly ok: false; readonly error: RolecallError };

interface Entry {
  name: string;
  /** The user wants this profile delivered and kept fresh (from activate until deactivate). */
  activated: boolean;
  /** Activated and delivered in an earlier run of the agent: it worked then, so any failure is retried. */
  resumed: boolean;
  /** The newest credentials minted or read from the cache. */
  latest: Held | undefined;
  /** What the delivery holds now. */
  delivered: Held | undefined;
  lastRefreshedAt: number | undefined;
  lastError: ErrorInfo | undefined;
  failures: number;
  retryAt: number | undefined;
  renewal: Promise<Outcome> | undefined;
  renewalGeneration: number;
  deliveries: number;
  /** Bumped by deactivate, forget and rename: work started before must not touch the profile after. */
  generation: number;
  cacheRead: Promise<void> | undefined;
  /** Serialises this profile's cache writes, so a late write never lands after a delete. */
  io: Promise<void>;
  emitted: string;
}

export class SessionManager {
  private readonly minter: SessionMinter;
  private readonly delivery: SessionDelivery;
  private readonly clock: Clock;
  private readonly cache: SessionCache;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly limiter: CreateSessionLimiter;
  private readonly autoRefresh: (name: string) => boolean;
  private readonly mintDeadlineMs: number;
  private readonly timeline: SessionTimeline | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<StateListener>();
  /** Deliveries and withdrawals, one at a time in call order: a late delivery never lands after a
   * withdrawal, and profiles refreshed together do not fight over the AWS file's lock. */
  private writes: Promise<void> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private armedAt: { wall: number; monotonic: number } | undefined;
  private closed = false;

  constructor(options: SessionManagerOptions) {
    this.minter = options.minter;
    this.delivery = options.delivery;
    this.clock = options.clock;
    this.cache = options.cache;
    this.logger = options.logger;
    this.random = options.random ?? Math.random;
    this.limiter = options.limiter ?? new CreateSessionLimiter(options.clock);
    this.autoRefresh = options.autoRefresh ?? (() => true);
    this.mintDeadlineMs = options.mintDeadlineMs ?? DEFAULT_MINT_DEADLINE_MS;
    this.timeline = options.timeline;
  }

  /** Listens to state changes; returns the function that stops listening. */
  on(_event: 'state', listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(name: string): SessionState {
    const entry = this.entries.get(name);
    return entry === undefined ? { name, status: 'inactive' } : this.stateOf(entry);
  }

  /** Every profile the manager has seen; the others are inactive. */
  states(): SessionState[] {
    return [...this.entries.values()].map((entry) => this.stateOf(entry));
  }

  /** Delivers a session (a still-good cached one, or a new one) and keeps it fresh until deactivate. */
  async activate(name: string): Promise<SessionState> {
    const entry = this.entry(name);
    if (!entry.activated) {
      entry.activated = true;
      entry.failures = 0;
      entry.retryAt = undefined;
      this.emit(entry);
    }
    await this.loadCached(entry);
    const latest = entry.latest;
    const now = this.clock.now();
    if (latest !== undefined && latest === entry.delivered && now < latest.expiresAt) {
      this.arm();
      return this.stateOf(entry);
    }
    if (latest !== undefined && now < latest.refreshAt) {
      const error = await this.deliverLatest(entry);
      if (error) throw error;
    } else {
      const outcome = await this.renew(entry);
      if (!outcome.ok) throw outcome.error;
      if (outcome.deliveryError) throw outcome.deliveryError;
    }
    this.arm();
    return this.stateOf(entry);
  }

  /**
   * Takes up an activation from an earlier run of the agent (it crashed, was stopped, the computer
   * restarted): restores the cached session and whether the AWS files still hold it, without any
   * network call, so the state is right at once. The next recheck() re-delivers what is missing and
   * refreshes what is due.
   */
  async resume(name: string, options: { readonly deliveredBefore: boolean }): Promise<SessionState> {
    const entry = this.entry(name);
    if (entry.activated) return this.stateOf(entry);
    entry.activated = true;
    entry.resumed = options.deliveredBefore;
    await this.loadCached(entry);
    const latest = entry.latest;
    if (latest !== undefined && entry.delivered === undefined && this.clock.now() < latest.expiresAt && this.delivery.isDelivered) {
      const generation = entry.generation;
      try {
        if ((await this.delivery.isDelivered(name, latest.credentials)) && generation === entry.generation) entry.delivered = latest;
      } catch (error) {
        // Unreadable now: delivering again is the safe side.
        this.logger.warn('could not check a resumed delivery', { profile: name, code: asRolecallError(error).code, ...unexpected(error) });
      }
    }
    this.emit(entry);
    return this.stateOf(entry);
  }

  /** Stops refreshing, withdraws what was delivered and forgets the cached session. */
  async deactivate(name: string): Promise<SessionState> {
    const entry = this.entry(name);
    this.reset(entry);
    this.arm();
    let failure: RolecallError | undefined;
    try {
      await this.oneWriter(() => this.delivery.withdraw(name));
    } catch (error) {
      failure = asRolecallError(error);
      // Shown as failed: what was delivered may still be there.
      entry.lastError = failure.toInfo();
      this.logger.warn('could not withdraw a session', { profile: name, code: failure.code, detail: failure.detail, ...unexpected(failure) });
    }
    await this.serially(entry, () => this.forgetCached(name));
    if (!failure) this.timeline?.record(name, { at: iso(this.clock.now()), kind: 'deactivated' });
    this.emit(entry);
    if (failure) throw failure;
    return this.stateOf(entry);
  }

  /** Mints a new session now (joining one already being minted) and delivers it. */
  async refresh(name: string): Promise<SessionState> {
    const entry = this.entries.get(name);
    if (entry === undefined || !entry.activated) throw new RolecallError('NOT_ACTIVE', name);
    const outcome = await this.renew(entry);
    if (!outcome.ok) throw outcome.error;
    if (outcome.deliveryError) throw outcome.deliveryError;
    return this.stateOf(entry);
  }

  /** Refreshes every active profile; failures show in their states rather than being thrown. */
  async refreshAll(): Promise<SessionState[]> {
    const active = [...this.entries.values()].filter((entry) => entry.activated);
    await Promise.all(active.map((entry) => this.renew(entry)));
    return this.states();
  }

  /**
   * Credentials with more than `minValiditySeconds` left (capped for short sessions, see
   * isFreshFor), from memory or the cache, else newly minted; concurrent callers share one mint.
   * While an active profile backs off after throttling or an outage, no mint: the still-valid
   * session, else the last error. Works for inactive profiles too, without delivery or refreshing.
   */
  async credentials(name: string, minValiditySeconds = DEFAULT_MIN_VALIDITY_SECONDS): Promise<SessionCredentials> {
    const entry = this.entry(name);
    await this.loadCached(entry);
    const latest = entry.latest;
    const now = this.clock.now();
    if (latest !== undefined && isFreshFor(latest, now, minValiditySeconds * 1000)) return latest.credentials;
    const backoff = this.backoffInForce(entry, now);
    if (backoff !== undefined) {
      // SDKs call credential_process on every request once validity runs low: minting for each would
      // defeat the backoff. Until the retry, they get what is still valid, or the last error.
      if (latest !== undefined && now < latest.expiresAt) return latest.credentials;
      throw new RolecallError(backoff.code, backoff.detail);
    }
    const outcome = await this.renew(entry);
    if (outcome.ok) return outcome.held.credentials;
    // A failed renewal does not take away what still works (the SDK asks again when it wants).
    const fallback = entry.latest;
    if (fallback !== undefined && this.clock.now() < fallback.expiresAt) return fallback.credentials;
    throw outcome.error;
  }

  /** The profile was removed: stop, withdraw what was delivered, drop the cache. No state event follows. */
  async forget(name: string): Promise<void> {
    const entry = this.entries.get(name) ?? this.newEntry(name);
    const wasActive = entry.activated;
    this.reset(entry);
    this.entries.delete(name);
    this.timeline?.forget(name);
    this.arm();
    try {
      if (wasActive) await this.oneWriter(() => this.delivery.withdraw(name));
    } finally {
      await this.serially(entry, () => this.forgetCached(name));
    }
  }

  /**
   * The profile is now called `newName` (its definition already renamed): the session moves with it,
   * is delivered under the new name before the old name's delivery is withdrawn, and the cache moves.
   */
  async rename(oldName: string, newName: string): Promise<SessionState> {
    if (oldName === newName) return this.state(newName);
    if (this.entries.get(newName)?.activated) throw new RolecallError('PROFILE_EXISTS', newName);
    const entry = this.entry(oldName);
    await this.loadCached(entry);
    entry.generation += 1;
    this.entries.delete(oldName);
    entry.name = newName;
    this.entries.set(newName, entry);
    this.timeline?.rename(oldName, newName);
    const wasDelivered = entry.delivered !== undefined;
    entry.delivered = undefined;
    const latest = entry.latest;
    await this.serially(entry, async () => {
      if (latest !== undefined) await this.cacheSet(newName, latest);
      await this.forgetCached(oldName);
    });
    let failure: RolecallError | undefined;
    if (entry.activated) {
      if (latest !== undefined && this.clock.now() < latest.expiresAt) {
        failure = await this.deliverLatest(entry);
      } else {
        entry.retryAt = this.clock.now();
      }
      if (wasDelivered) {
        try {
          await this.oneWriter(() => this.delivery.withdraw(oldName));
        } catch (error) {
          failure ??= asRolecallError(error);
        }
      }
    }
    this.emit(entry);
    this.arm();
    if (failure) throw failure;
    return this.stateOf(entry);
  }

  /**
   * Looks at every profile now: marks expired sessions, starts refreshes and retries that are due.
   * The host calls it on resume from sleep (Electron's powerMonitor); the timer calls it on every wake.
   */
  recheck(): void {
    if (this.closed) return;
    const now = this.clock.now();
    for (const entry of this.entries.values()) this.check(entry, now);
    this.arm();
  }

  /** Stops the timer for good (the agent is exiting); what was delivered stays. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private entry(name: string): Entry {
    let entry = this.entries.get(name);
    if (entry === undefined) {
      entry = this.newEntry(name);
      this.entries.set(name, entry);
    }
    return entry;
  }

  private newEntry(name: string): Entry {
    return {
      name,
      activated: false,
      resumed: false,
      latest: undefined,
      delivered: undefined,
      lastRefreshedAt: undefined,
      lastError: undefined,
      failures: 0,
      retryAt: undefined,
      renewal: undefined,
      renewalGeneration: 0,
      deliveries: 0,
      generation: 0,
      cacheRead: undefined,
      io: Promise.resolve(),
      emitted: JSON.stringify({ name, status: 'inactive' } satisfies SessionState),
    };
  }

  private reset(entry: Entry): void {
    entry.generation += 1;
    entry.activated = false;
    entry.resumed = false;
    entry.latest = undefined;
    entry.delivered = undefined;
    entry.lastRefreshedAt = undefined;
    entry.lastError = undefined;
    entry.failures = 0;
    entry.retryAt = undefined;
    // The cached session is being deleted: do not read it back.
    entry.cacheRead = Promise.resolve();
  }

  private loadCached(entry: Entry): Promise<void> {
    entry.cacheRead ??= (async () => {
      const generation = entry.generation;
      try {
        const cached = await this.cache.get(entry.name);
        if (cached === undefined || generation !== entry.generation || entry.latest !== undefined) return;
        const held = this.hold(cached.credentials, cached.obtainedAt);
        if (this.clock.now() < held.expiresAt) {
          entry.latest = held;
          entry.lastRefreshedAt = held.obtainedAt;
        }
      } catch (error) {
        this.logger.warn('could not read the session cache', { profile: entry.name, code: asRolecallError(error).code, ...unexpected(error) });
      }
    })();
    return entry.cacheRead;
  }

  private hold(credentials: SessionCredentials, obtainedAt: number): Held {
    const expiresAt = Date.parse(credentials.expiration);
    if (Number.isNaN(expiresAt)) throw new RolecallError('SERVICE_ERROR', 'the session expiration is not a date');
    const times = { obtainedAt, expiresAt };
    return { credentials, obtainedAt, expiresAt, refreshAt: planRefresh(times, this.random) };
  }

  // One mint per profile at a time: every caller (timer, activate, refresh, credentials) shares it.
  private renew(entry: Entry): Promise<Outcome> {
    if (entry.renewal !== undefined && entry.renewalGeneration === entry.generation) return entry.renewal;
    const promise: Promise<Outcome> = this.mintAndDeliver(entry).finally(() => {
      if (entry.renewal === promise) entry.renewal = undefined;
      this.emit(entry);
      this.arm();
    });
    entry.renewal = promise;
    entry.renewalGeneration = entry.generation;
    this.emit(entry);
    return promise;
  }

  private async mintAndDeliver(entry: Entry): Promise<Outcome> {
    const generation = entry.generation;
    const name = entry.name;
    let held: Held;
    try {
      const region = this.minter.regionOf(name);
      // A slot per HTTP attempt, not per mint: the service's 10/s limit counts retries too.
      const credentials = await this.withinDeadline(this.minter.mint(name, { beforeAttempt: () => this.limiter.acquire(region) }));
      held = this.hold(credentials, this.clock.now());
      assertUsable(credentials, held.obtainedAt);
    } catch (error) {
      const failure = asRolecallError(error);
      if (generation === entry.generation) this.recordFailure(entry, failure);
      return { ok: false, error: failure };
    }
    if (generation !== entry.generation) return { ok: true, held };
    this.timeline?.record(name, {
      at: iso(held.obtainedAt),
      kind: entry.latest === undefined ? 'minted' : 'refreshed',
      expiresAt: iso(held.expiresAt),
      accessKeyIdMasked: maskAccessKeyId(held.credentials.accessKeyId),
    });
    entry.latest = held;
    entry.lastRefreshedAt = held.obtainedAt;
    entry.lastError = undefined;
    entry.failures = 0;
    entry.retryAt = undefined;
    this.logger.info('session minted', {
      profile: name,
      accessKeyId: maskAccessKeyId(held.credentials.accessKeyId),
      expiresAt: iso(held.expiresAt),
      refreshAt: iso(held.refreshAt),
    });
    void this.serially(entry, async () => {
      if (generation === entry.generation) await this.cacheSet(entry.name, held);
    });
    if (!entry.activated) return { ok: true, held };
    const deliveryError = await this.deliver(entry, held);
    return deliveryError ? { ok: true, held, deliveryError } : { ok: true, held };
  }

  // The abandoned mint runs on unseen; it changes nothing, as only this method's caller applies results.
  private withinDeadline<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimer(this.mintDeadlineMs, () => {
        reject(new RolecallError('TIMEOUT', `no session after ${Math.round(this.mintDeadlineMs / 1000)} s; that attempt was abandoned`));
      });
      work.then(
        (value) => {
          timer.cancel();
          resolve(value);
        },
        (error: unknown) => {
          timer.cancel();
          reject(error);
        },
      );
    });
  }

  private deliverLatest(entry: Entry): Promise<RolecallError | undefined> {
    const latest = entry.latest;
    if (latest === undefined) return Promise.resolve(undefined);
    entry.deliveries += 1;
    this.emit(entry);
    return this.deliver(entry, latest).finally(() => {
      entry.deliveries -= 1;
      this.emit(entry);
      this.arm();
    });
  }

  private async deliver(entry: Entry, held: Held): Promise<RolecallError | undefined> {
    const generation = entry.generation;
    try {
      await this.oneWriter(async () => {
        if (generation === entry.generation) await this.delivery.deliver(entry.name, held.credentials);
      });
    } catch (error) {
      const failure = asRolecallError(error);
      if (generation === entry.generation) this.recordFailure(entry, failure);
      return failure;
    }
    if (generation !== entry.generation) return undefined;
    // What the files hold now, even when it expires sooner than what it replaced: the state shows the
    // delivered session's real expiry.
    entry.delivered = held;
    this.timeline?.record(entry.name, { at: iso(this.clock.now()), kind: 'delivered', expiresAt: iso(held.expiresAt) });
    if (entry.delivered === entry.latest) {
      entry.lastError = undefined;
      entry.failures = 0;
      entry.retryAt = undefined;
    }
    return undefined;
  }

  private recordFailure(entry: Entry, error: RolecallError): void {
    if (!entry.activated) return;
    const now = this.clock.now();
    entry.failures += 1;
    entry.lastError = error.toInfo();
    // A profile that never worked needs the user unless the failure is transient; one that worked is
    // kept alive through anything, since the cause (a locked keychain, an IAM change) may pass.
    const worked = entry.resumed || entry.latest !== undefined || entry.delivered !== undefined;
    const retry = this.autoRefresh(entry.name) && !needsPerson(error.code) && (worked || isTransient(error.code));
    entry.retryAt = retry ? planRetry({ now, failures: entry.failures, random: this.random, ...(entry.delivered && { delivered: entry.delivered }) }) : undefined;
    this.timeline?.record(entry.name, { at: iso(now), kind: 'failed', problem: entry.lastError });
    this.logger.warn('session refresh failed', {
      profile: entry.name,
      code: error.code,
      detail: error.detail,
      failures: entry.failures,
      retryAt: entry.retryAt === undefined ? undefined : iso(entry.retryAt),
      ...unexpected(error),
    });
  }

  // Decides, for one profile at `now`, whether work is due, and starts it.
  private check(entry: Entry, now: number): void {
    this.emit(entry);
    if (!entry.activated || this.busy(entry) || !this.autoRefresh(entry.name)) return;
    const dueAt = this.workDue(entry, now);
    if (dueAt === undefined || dueAt > now) return;
    const latest = entry.latest;
    if (latest !== undefined && latest !== entry.delivered && now < latest.refreshAt) void this.deliverLatest(entry);
    else void this.renew(entry);
  }

  /** The last error, while a retry after a passing failure (throttling, 5xx, network) is pending. */
  private backoffInForce(entry: Entry, now: number): ErrorInfo | undefined {
    const error = entry.lastError;
    if (!entry.activated || error === undefined || entry.retryAt === undefined || entry.retryAt <= now) return undefined;
    return isTransient(error.code) ? error : undefined;
  }

  private busy(entry: Entry): boolean {
    return entry.renewal !== undefined || entry.deliveries > 0;
  }

  private nextDue(entry: Entry, now: number): number {
    if (!entry.activated) return Number.POSITIVE_INFINITY;
    let due = Number.POSITIVE_INFINITY;
    // Waking at expiry turns the state to expired on time.
    if (entry.delivered !== undefined && now < entry.delivered.expiresAt) due = entry.delivered.expiresAt;
    if (!this.busy(entry) && this.autoRefresh(entry.name)) {
      const work = this.workDue(entry, now);
      if (work !== undefined) due = Math.min(due, work);
    }
    return due;
  }

  /**
   * When the next mint or delivery is due: a planned retry, else the refresh time, else now when the
   * files lack a usable session (a resumed activation whose cache expired or whose delivery is gone).
   * A failure that needs the user (no retry planned) waits for them.
   */
  private workDue(entry: Entry, now: number): number | undefined {
    if (entry.retryAt !== undefined) return entry.retryAt;
    if (entry.lastError !== undefined) return undefined;
    const latest = entry.latest;
    if (latest === undefined || now >= latest.expiresAt) return now;
    if (latest !== entry.delivered) return now;
    return latest.refreshAt;
  }

  // ONE timer for the earliest due work, re-armed after every change.
  private arm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.closed) return;
    const now = this.clock.now();
    let due = Number.POSITIVE_INFINITY;
    for (const entry of this.entries.values()) due = Math.min(due, this.nextDue(entry, now));
    if (due === Number.POSITIVE_INFINITY) {
      this.armedAt = undefined;
      return;
    }
    const delay = Math.min(MAX_WAKE_MS, Math.max(0, due - now));
    this.armedAt = { wall: now, monotonic: this.clock.monotonic() };
    this.timer = this.clock.setTimer(delay, () => this.wake());
  }

  private wake(): void {
    this.timer = undefined;
    const armedAt = this.armedAt;
    if (armedAt !== undefined) {
      const wallMs = this.clock.now() - armedAt.wall;
      const monotonicMs = this.clock.monotonic() - armedAt.monotonic;
      // A suspend stops the monotonic clock but not the wall clock; an NTP or manual change moves only
      // the wall clock. Either way expiries measured in wall time may have passed unseen.
      if (Math.abs(wallMs - monotonicMs) > CLOCK_JUMP_MS) {
        this.logger.info('clock jump or resume detected; rechecking every profile', { wallMs: Math.round(wallMs), monotonicMs: Math.round(monotonicMs) });
      }
    }
    this.recheck();
  }

  private stateOf(entry: Entry): SessionState {
    if (!entry.activated) {
      return entry.lastError === undefined ? { name: entry.name, status: 'inactive' } : { name: entry.name, status: 'failed', lastError: entry.lastError };
    }
    const now = this.clock.now();
    const delivered = entry.delivered;
    const nextRefreshAt = this.busy(entry) || !this.autoRefresh(entry.name) ? undefined : entry.retryAt ?? (entry.lastError === undefined ? entry.latest?.refreshAt : undefined);
    return {
      name: entry.name,
      status: this.statusOf(entry, now),
      ...(delivered && { expiresAt: iso(delivered.expiresAt), accessKeyIdMasked: maskAccessKeyId(delivered.credentials.accessKeyId) }),
      ...(entry.lastRefreshedAt !== undefined && { lastRefreshedAt: iso(entry.lastRefreshedAt) }),
      ...(nextRefreshAt !== undefined && { nextRefreshAt: iso(nextRefreshAt) }),
      ...(entry.lastError && { lastError: entry.lastError }),
    };
  }

  private statusOf(entry: Entry, now: number): ProfileStatus {
    const delivered = entry.delivered;
    const valid = delivered !== undefined && now < delivered.expiresAt;
    if (delivered !== undefined && !valid) return 'expired';
    if (this.busy(entry)) return valid ? 'refreshing' : 'activating';
    if (entry.lastError !== undefined) return 'failed';
    return valid ? 'active' : 'activating';
  }

  private emit(entry: Entry): void {
    if (this.entries.get(entry.name) !== entry) return;
    const state = this.stateOf(entry);
    const key = JSON.stringify(state);
    if (key === entry.emitted) return;
    entry.emitted = key;
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch (error) {
        this.logger.error('a state listener failed', { error });
      }
    }
  }

  private oneWriter(step: () => Promise<unknown>): Promise<void> {
    const result = this.writes.then(step).then(() => undefined);
    this.writes = result.catch(() => undefined);
    return result;
  }

  private serially(entry: Entry, step: () => Promise<unknown>): Promise<void> {
    const result = entry.io.then(step).then(() => undefined);
    entry.io = result.catch(() => undefined);
    return result;
  }

  private async cacheSet(name: string, held: Held): Promise<void> {
    try {
      await this.cache.set(name, { credentials: held.credentials, obtainedAt: held.obtainedAt });
    } catch (error) {
      // Sessions still work without the cache; only restarts and one-shot runs lose the reuse.
      this.logger.warn('could not cache the session', { profile: name, code: asRolecallError(error).code, ...unexpected(error) });
    }
  }

  private async forgetCached(name: string): Promise<void> {
    try {
      await this.cache.delete(name);
    } catch (error) {
      this.logger.warn('could not delete the cached session', { profile: name, code: asRolecallError(error).code, ...unexpected(error) });
    }
  }
}

function asRolecallError(error: unknown): RolecallError {
  // An unknown error's text could quote anything, so it stays out of the state (the log gets it, see unexpected()).
  return isRolecallError(error) ? error : new RolecallError('INTERNAL', undefined, { cause: error });
}

/**
 * For the log: a bug's own error (a TypeError in a timer-driven refresh), with its stack and cause, which
 * the logger redacts like every field; nothing for a RolecallError, whose code says it all.
 */
function unexpected(error: unknown): LogFields {
  const underlying = isRolecallError(error) && error.code === 'INTERNAL' ? error.cause : error;
  return underlying === undefined || isRolecallError(underlying) ? {} : { error: underlying };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
