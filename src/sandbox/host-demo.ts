// The sandbox as the app and the headless agent offer it ("Try it with a local sandbox"): one running
// demo sandbox per process, its demo PKI in Rolecall's data folder, restarted on request.
import { join } from 'node:path';
import type { DemoSandboxInfo } from '../shared/model';
import { startDemoSandbox, type DemoSandbox } from './demo-sandbox';

export interface HostDemoSandboxRunner {
  start(): Promise<DemoSandboxInfo>;
  stop(): Promise<void>;
}

export function hostDemoSandbox(dataDir: string): HostDemoSandboxRunner {
  const dir = join(dataDir, 'sandbox');
  let running: DemoSandbox | undefined;
  return {
    async start() {
      await running?.stop();
      running = await startDemoSandbox({ dir });
      const leaf = running.pki.leaves['ec-p256'];
      return {
        endpoint: running.sandbox.url,
        certificatePath: leaf.certificatePath,
        privateKeyPath: leaf.privateKeyPath,
        intermediatesPath: leaf.chainPath,
        trustAnchorArn: running.trustAnchorArn,
        profileArn: running.profileArn,
        roleArn: running.roleArn,
        dir,
      };
    },
    async stop() {
      await running?.stop();
      running = undefined;
    },
  };
}
