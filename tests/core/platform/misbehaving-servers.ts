// Real node:http servers on 127.0.0.1 that answer the way a broken network or a hostile endpoint does:
// a body dripped one byte at a time, headers that never come, an answer of tens of megabytes. Shared by
// the tests of every transport, so each is held to the same limits.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sessions`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const RECOVERED_BODY = '{"credentialSet":[]}';

/**
 * Sends 201 and its headers at once, then one byte of body every `everyMs`, never ending; once
 * `recover()` is called, later requests get a whole answer at once.
 */
export async function drippingServer(everyMs = 500): Promise<TestServer & { recover(): void; readonly requests: number }> {
  let recovered = false;
  let requests = 0;
  const timers = new Set<ReturnType<typeof setInterval>>();
  const server = createServer((req, res) => {
    requests += 1;
    req.resume();
    if (recovered) {
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(RECOVERED_BODY);
      return;
    }
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    const timer = setInterval(() => res.write('{'), everyMs);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  });
  const listening = await listen(server);
  return {
    url: listening.url,
    get requests() {
      return requests;
    },
    recover: () => {
      recovered = true;
    },
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      await listening.close();
    },
  };
}

/** Accepts the connection and the request, and never sends a byte back. */
export async function silentServer(): Promise<TestServer> {
  return listen(createServer((req) => req.resume()));
}

export interface HugeServer extends TestServer {
  /** Body bytes handed to the socket so far. */
  readonly written: number;
  /** Resolves when the client hung up before the body was complete. */
  readonly abandoned: Promise<void>;
}

/**
 * Answers 201 with `totalBytes` of body, streamed from one reused 64 KiB buffer with backpressure,
 * so the test process itself never holds the answer; with `declareLength`, Content-Length says so.
 */
export async function hugeServer(totalBytes: number, options: { declareLength?: boolean } = {}): Promise<HugeServer> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  let hungUp: () => void = () => undefined;
  const abandoned = new Promise<void>((resolve) => {
    hungUp = resolve;
  });
  const stream = (res: ServerResponse) => {
    while (written < totalBytes) {
      const piece = chunk.subarray(0, Math.min(chunk.length, totalBytes - written));
      written += piece.length;
      if (!res.write(piece)) {
        res.once('drain', () => stream(res));
        return;
      }
    }
    res.end();
  };
  const server = createServer((req, res) => {
    req.resume();
    res.on('close', () => {
      if (written < totalBytes || !res.writableFinished) hungUp();
    });
    res.writeHead(201, { 'Content-Type': 'application/json', ...(options.declareLength ? { 'Content-Length': String(totalBytes) } : {}) });
    stream(res);
  });
  const listening = await listen(server);
  return {
    ...listening,
    get written() {
      return written;
    },
    abandoned,
  };
}

/** Runs `work` and reports the highest heap + ArrayBuffer use seen while it ran, above the use before. */
export async function peakMemoryGrowth<T>(work: () => Promise<T>): Promise<{ readonly result: PromiseSettledResult<T>; readonly growthBytes: number }> {
  const used = () => {
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const before = used();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, used());
  }, 2);
  const [result] = await Promise.allSettled([work()]);
  clearInterval(sampler);
  peak = Math.max(peak, used());
  return { result: result as PromiseSettledResult<T>, growthBytes: peak - before };
}
