// The local sandbox as the agent offers it: the demo profile that delivers inside Rolecall's data folder,
// and trusting a CA of the user's. Only hosts that run the sandbox pass its functions.
import { join } from 'node:path';
import { RolecallError } from '../../shared/errors';
import type { DemoSandboxInfo, SandboxTrustedCa } from '../../shared/model';
import { hasPemMarkers, readInputFile, splitPem, toPem } from '../pki';
import type { ProfileDefinition } from '../profiles';
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

export const DEMO_PROFILE_NAME = 'rolecall-sandbox';

export interface SandboxHost {
  /** Starts (or reuses) the local sandbox with its demo PKI. */
  readonly startDemoSandbox?: () => Promise<DemoSandboxInfo>;
  /** Has that sandbox trust a CA bundle (PEM) read from `source`, restarting it. */
  readonly trustSandboxCa?: (pem: string, source: string) => Promise<SandboxTrustedCa>;
}

export function sandboxOperations(context: OperationContext, host: SandboxHost): AgentHandlers<'sandbox.startDemo' | 'sandbox.trustCa'> {
  const { directory, drafts, profiles, repository, sessions, clock, viewOf } = context;
  return {
    async 'sandbox.startDemo'() {
      if (!host.startDemoSandbox) throw new RolecallError('NOT_SUPPORTED_YET', 'this host offers no local sandbox');
      const demo = await host.startDemoSandbox();
      await directory.reload();
      const draft = await drafts.open({ certificatePath: demo.certificatePath, privateKeyPath: demo.privateKeyPath, intermediatesPath: demo.intermediatesPath });
      const existing = directory.get(DEMO_PROFILE_NAME);
      let definition: ProfileDefinition;
      if (existing) {
        // The sandbox listens on a new port each time it starts, and its demo PKI may be new.
        definition = (await profiles.edit({ name: DEMO_PROFILE_NAME, draftId: draft.draftId, endpoint: demo.endpoint, trustAnchorArn: demo.trustAnchorArn, profileArn: demo.profileArn, roleArn: demo.roleArn })).definition;
      } else {
        definition = await profiles.add(
          { name: DEMO_PROFILE_NAME, draftId: draft.draftId, trustAnchorArn: demo.trustAnchorArn, profileArn: demo.profileArn, roleArn: demo.roleArn, endpoint: demo.endpoint, durationSeconds: 3600 },
          { credentialsFile: join(demo.dir, 'credentials'), configFile: join(demo.dir, 'config') },
        );
      }
      directory.set(definition);
      await repository.setActivated(DEMO_PROFILE_NAME, true, new Date(clock.now()));
      const state = await sessions.activate(DEMO_PROFILE_NAME);
      return viewOf(definition, state);
    },
    async 'sandbox.trustCa'({ caPath }) {
      if (!host.trustSandboxCa) throw new RolecallError('NOT_SUPPORTED_YET', 'this host offers no local sandbox');
      const bytes = await readInputFile(caPath, 'CA file');
      // Only certificates go on: the sandbox keeps the bundle in its state file, and a CA's key kept
      // in the same file must not follow it there. A DER file is one certificate.
      const certificates = hasPemMarkers(bytes) ? splitPem(bytes, 'CERT_UNREADABLE').filter((block) => block.label === 'CERTIFICATE').map((block) => block.der) : [bytes];
      return host.trustSandboxCa(certificates.map((der) => toPem('CERTIFICATE', der)).join(''), caPath);
    },
  };
}
