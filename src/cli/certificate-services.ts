// The certificate and local CA managers as the CLI runs them: in this process, on the user's data
// folder and OS keychain (the agent is not involved until a profile is made from a certificate).
import { LocalCaManager } from '../core/ca';
import { CertificateManager } from '../core/certificates';
import { systemClock } from '../core/platform/clock';
import { KeytarSecretStore } from '../core/secrets';
import { ensureDataDir } from '../core/store/data-dir';
import { dataDir } from './runtime';

export interface CertificateServices {
  readonly certificates: CertificateManager;
  readonly cas: LocalCaManager;
}

/** The certificate and CA managers on this user's data folder and OS keychain. */
export async function certificateServices(): Promise<CertificateServices> {
  const dir = await ensureDataDir(dataDir());
  const secrets = new KeytarSecretStore();
  const certificates = new CertificateManager({ dataDir: dir, secrets, clock: systemClock });
  return { certificates, cas: new LocalCaManager({ dataDir: dir, secrets, clock: systemClock, certificates }) };
}
