// Watches the D-Bus session bus the agent's keychain talks through. The background agent is detached
// from the session that started it: when that session ends (a dbus-run-session, an ssh login with its
// own bus, a desktop logout) the bus goes and every keychain call fails for good. Connecting to the
// bus's socket now and then is the cheapest sign of life there is (no D-Bus message, no keytar), and a
// refused or vanished socket means the session is over: the agent then exits with its state persisted.
import { createConnection } from 'node:net';
import type { Clock, TimerHandle } from '../platform/clock';
import { systemClock } from '../platform/clock';

export const DEFAULT_BUS_CHECK_MS = 15_000;
const CONNECT_TIMEOUT_MS = 2000;
const GONE_CODES = new Set(['ENOENT', 'ECONNREFUSED']);

/** The Unix socket of a D-Bus address ("unix:path=…" or "unix:abstract=…", the first such of a list). */
export function sessionBusSocket(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue;
    for (const pair of entry.slice(colon + 1).split(',')) {
      const [key, value] = pair.split('=', 2);
      if (value === undefined || value === '') continue;
      const decoded = decodeAddressValue(value);
      if (decoded === undefined) continue;
      if (key === 'path') return decoded;
      // Linux abstract sockets: node names them with a leading NUL.
      if (key === 'abstract') return `\0${decoded}`;
    }
  }
  return undefined;
}

function decodeAddressValue(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Whether something still accepts connections on the bus socket; only a refused or missing socket says no. */
export function busAnswers(socket: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      connection.destroy();
      resolve(alive);
    };
    // A bus too busy to accept within the timeout is still there.
    const timer = setTimeout(() => done(true), timeoutMs);
    connection.once('connect', () => done(true));
    connection.once('error', (error: NodeJS.ErrnoException) => done(!GONE_CODES.has(error.code ?? '')));
  });
}

export interface SessionBusWatch {
  stop(): void;
}

export interface SessionBusWatchOptions {
  /** DBUS_SESSION_BUS_ADDRESS as the agent started with it. */
  readonly address: string | undefined;
  readonly everyMs?: number;
  readonly clock?: Clock;
  /** Called once, when the bus has gone. */
  readonly onGone: () => void;
}

/** Undefined when there is no Unix bus socket to watch (no session bus, macOS, Windows, a TCP bus). */
export function watchSessionBus(options: SessionBusWatchOptions): SessionBusWatch | undefined {
  const socket = sessionBusSocket(options.address);
  if (socket === undefined) return undefined;
  const clock = options.clock ?? systemClock;
  const everyMs = options.everyMs ?? DEFAULT_BUS_CHECK_MS;
  let timer: TimerHandle | undefined;
  let stopped = false;
  const check = async () => {
    const alive = await busAnswers(socket);
    if (stopped) return;
    if (!alive) {
      stopped = true;
      options.onGone();
      return;
    }
    arm();
  };
  const arm = () => {
    timer = clock.setTimer(everyMs, () => void check());
  };
  arm();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
