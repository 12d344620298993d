// The agent-less path of `credential-process --profile`: the one-shot mint, composed in this process.
import type { CredentialsOutput } from '../shared/contract';
import { oneShotProfileCredentials } from '../core/sessions/profile-minter';
import { hostServices } from './host-services';

export async function oneShotRun(name: string, version: string): Promise<CredentialsOutput> {
  const services = await hostServices(version);
  try {
    return await oneShotProfileCredentials(name, services);
  } finally {
    await services.transport.close();
  }
}
