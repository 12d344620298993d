// The sandbox as the app and the headless agent offer it ("Try it with a local sandbox", "Trust a CA of
// mine…"): one running demo sandbox per process, its demo PKI and account in Rolecall's data folder,
// restarted on request.
import { basename, join } from 'node:path';
import { RolecallError } from '../shared/errors';
import type { DemoSandboxInfo, SandboxTrustedCa } from '../shared/model';
import { startDemoSandbox, TrustCaError, type DemoSandbox, type TrustCa } from './demo-sandbox';
import { SandboxStateError } from './state-store';

export interface HostDemoSandboxRunner {
  start(): Promise<DemoSandboxInfo>;
  /** Restarts the sandbox (or starts it) with this CA bundle among its trust anchors; `source` names it in messages. */
  trustCa(pem: string, source: string): Promise<SandboxTrustedCa>;
  /** Where its control plane listens and its admin key (for the agent only), starting it when it is not running. */
  controlPlane(): Promise<SandboxControlPlane>;
  stop(): Promise<void>;
}

export interface SandboxControlPlane {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function hostDemoSandbox(dataDir: string): HostDemoSandboxRunner {
  const dir = join(dataDir, 'sandbox');
  let running: DemoSandbox | undefined;
  // One restart at a time: two clicks must not start two sandboxes on the same folder.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };

  const restart = async (trustCas: readonly TrustCa[]): Promise<DemoSandbox> => {
    // Same port as before, so profiles made for the running sandbox (their endpoint) keep working.
    const port = running ? Number(new URL(running.sandbox.url).port) : 0;
    const wasRunning = running !== undefined;
    await running?.stop();
    running = undefined;
    try {
      running = await startOn(port, trustCas);
    } catch (error) {
      // A CA it cannot trust is refused before anything listens: bring back the sandbox that ran.
      if (wasRunning && error instanceof TrustCaError) running = await startOn(port, []);
      throw asRolecallError(error);
    }
    return running;
  };
  const startOn = (port: number, trustCas: readonly TrustCa[]): Promise<DemoSandbox> =>
    startDemoSandbox({ dir, port, trustCas }).catch((error: unknown) => {
      if (port !== 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') return startDemoSandbox({ dir, port: 0, trustCas });
      throw error;
    });

  return {
    start: () =>
      serially(async () => {
        const demo = await restart([]);
        const leaf = demo.pki.leaves['ec-p256'];
        return {
          endpoint: demo.sandbox.url,
          certificatePath: leaf.certificatePath,
          privateKeyPath: leaf.privateKeyPath,
          intermediatesPath: leaf.chainPath,
          trustAnchorArn: demo.trustAnchorArn,
          profileArn: demo.profileArn,
          roleArn: demo.roleArn,
          dir,
        };
      }),
    trustCa: (pem, source) =>
      serially(async () => {
        const demo = await restart([{ pem, source }]);
        const trusted = demo.trustedCas[0];
        if (!trusted) throw new RolecallError('INTERNAL', 'the sandbox did not report the CA it was given');
        const anchor = demo.sandbox.config.trustAnchors.find((candidate) => candidate.arn === trusted.trustAnchorArn);
        return {
          endpoint: demo.sandbox.url,
          region: demo.region,
          trustAnchorArn: trusted.trustAnchorArn,
          trustAnchorName: anchor?.name ?? '',
          subject: trusted.subject,
          created: trusted.created,
          profileArn: demo.profileArn,
          roleArn: demo.roleArn,
        };
      }),
    controlPlane: () =>
      serially(async () => {
        const demo = running ?? (await restart([]));
        return { endpoint: demo.sandbox.url, region: demo.region, credentials: demo.sandbox.adminKey };
      }),
    stop: () =>
      serially(async () => {
        await running?.stop();
        running = undefined;
      }),
  };
}

/** DemoSandbox's refusals as the errors Rolecall shows, with what to do next. */
function asRolecallError(error: unknown): unknown {
  if (error instanceof TrustCaError) {
    // The file was just chosen: its name says which, the folder it sits in only makes the line long.
    const problem = error.message.startsWith(`${error.source}: `) ? error.message.slice(error.source.length + 2) : error.message;
    return new RolecallError('TRUST_CA_INVALID', `${basename(error.source)}: ${problem}`, { cause: error });
  }
  if (error instanceof SandboxStateError) return new RolecallError('STORE_CORRUPT', error.message, { cause: error });
  return error;
}
