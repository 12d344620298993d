// The agent-less path of `credential-process --profile`: composition of the one-shot mint in this process.
import { homedir } from 'node:os';
import type { CredentialsOutput } from '../shared/contract';
import { createFileLogger, logsDir } from '../core/log';
import { createNodeTransport, usesProxy } from '../core/platform/node-transport';
import { systemClock } from '../core/platform/clock';
import { oneShotProfileCredentials } from '../core/rolecall';
import { KeytarSecretStore } from '../core/secrets';
import { cliCommand, dataDir } from './runtime';

export async function oneShotRun(name: string, version: string): Promise<CredentialsOutput> {
  const dir = dataDir();
  const transport = createNodeTransport({ useProxy: usesProxy(process.env) });
  try {
    return await oneShotProfileCredentials(name, {
      dataDir: dir,
      env: process.env,
      platform: process.platform,
      homedir: homedir(),
      clock: systemClock,
      transport,
      secrets: new KeytarSecretStore(),
      logger: createFileLogger({ dir: logsDir(dir) }),
      version,
      cliCommand: cliCommand(),
    });
  } finally {
    await transport.close();
  }
}
