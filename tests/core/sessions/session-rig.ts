// Everything a SessionManager test needs, made of real parts: a sandbox following a virtual clock, a
// minter signing with the fixture leaf, a temp credentials file (or a map), a keychain cache over the in-memory
// secret store, and a memory logger that keeps entries exactly as logged.
import { mkdtemp, rm } from 'node:fs/promises';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger, type MemoryLogger } from '../../../src/core/log';
import { KeychainSessionCache } from '../../../src/core/sessions/cache';
import { SessionManager, type SessionManagerOptions } from '../../../src/core/sessions/manager';
import type { SessionState } from '../../../src/core/sessions/ports';
import type { Sandbox } from '../../../src/sandbox';
import { FileDelivery, MemoryDelivery } from '../../helpers/file-delivery';
import { startFixtureSandbox } from '../../helpers/fixture-sandbox';
import { pkiPath } from '../../helpers/fixtures';
import { MemorySecretStore } from '../../helpers/memory-secret-store';
import { loadSigningCredentials, SandboxMinter } from '../../helpers/sandbox-minter';
import { VirtualClock } from '../../helpers/virtual-clock';

export interface Rig {
  readonly clock: VirtualClock;
  readonly sandbox: Sandbox;
  readonly minter: SandboxMinter;
  readonly delivery: FileDelivery | MemoryDelivery;
  readonly secrets: MemorySecretStore;
  readonly cache: KeychainSessionCache;
  readonly logger: MemoryLogger;
  readonly manager: SessionManager;
  /** Every state event, in order. */
  readonly events: SessionState[];
  /** Another manager over the same sandbox, file, cache and clock (an agent restart). */
  restart(options?: Partial<SessionManagerOptions>): SessionManager;
  /** Lets virtual time pass until `work` settles. */
  drive<T>(work: Promise<T>, options?: { stepMs?: number; maxMs?: number }): Promise<T>;
  close(): Promise<void>;
}

export interface RigOptions extends Partial<Pick<SessionManagerOptions, 'autoRefresh' | 'random'>> {
  readonly shortLivedSeconds?: number;
  /** 'file' (default): a temp credentials file; 'memory': a map, for tests about timing with many profiles. */
  readonly delivery?: 'file' | 'memory';
}

const signing = loadSigningCredentials(pkiPath('leaf-by-root.cert.pem'), pkiPath('leaf-by-root.key.pkcs8.pem'));

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const clock = new VirtualClock();
  const sandbox = await startFixtureSandbox({ clock: () => clock.now() });
  sandbox.switches.shortLivedSeconds = options.shortLivedSeconds;
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-sessions-'));
  const delivery = options.delivery === 'memory'
    ? new MemoryDelivery(clock, clock.io)
    : new FileDelivery({ credentials: join(dir, 'credentials'), config: join(dir, 'config') }, clock, clock.io);
  const minter = new SandboxMinter({ endpoint: sandbox.url, clock, signing, io: clock.io });
  const secrets = new MemorySecretStore();
  const cache = new KeychainSessionCache(secrets);
  const logger = createMemoryLogger({ redact: false });
  const managers: SessionManager[] = [];
  const make = (overrides: Partial<SessionManagerOptions> = {}) => {
    const manager = new SessionManager({
      minter,
      delivery,
      clock,
      cache,
      logger,
      ...(options.autoRefresh && { autoRefresh: options.autoRefresh }),
      ...(options.random && { random: options.random }),
      ...overrides,
    });
    managers.push(manager);
    return manager;
  };
  const manager = make();
  const events: SessionState[] = [];
  manager.on('state', (state) => events.push(state));

  return {
    clock,
    sandbox,
    minter,
    delivery,
    secrets,
    cache,
    logger,
    manager,
    events,
    restart: make,
    async drive<T>(work: Promise<T>, { stepMs = 100, maxMs = 600_000 } = {}): Promise<T> {
      let settled = false;
      const watched = work.finally(() => {
        settled = true;
      });
      watched.catch(() => undefined);
      await clock.advanceUntil(() => settled, { stepMs, maxMs });
      return watched;
    },
    async close() {
      for (const each of managers) each.close();
      await clock.settle();
      await minter.close();
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** For a test file: a `setUp` that starts a rig, closed after each test. */
export function useRig(): (options?: RigOptions) => Promise<Rig> {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });
  return async (options = {}) => {
    rig = await startRig(options);
    return rig;
  };
}

/** The statuses a profile went through, with repeats of the same status collapsed. */
export function statusTrail(events: readonly SessionState[], name: string): string[] {
  const trail: string[] = [];
  for (const event of events) {
    if (event.name === name && trail[trail.length - 1] !== event.status) trail.push(event.status);
  }
  return trail;
}
