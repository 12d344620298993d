// The setup wizard's operations: certificate requests and Rolecall CAs, then the Roles Anywhere
// resources, ending with the profile added and activated through the agent's own profile and session
// handlers.
import type { ErrorCode } from '../../shared/errors';
import { RolecallError } from '../../shared/errors';
import { setupOperations, type SetupHandlers, type SetupSandbox } from '../aws-setup/setup-operations';
import type { LocalCaManager } from '../ca';
import type { CertificateManager } from '../certificates';
import { certificateOperations, type CertificateHandlers } from '../certificates/certificate-operations';
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

export interface SetupWizardOptions {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  readonly certificates: CertificateManager;
  readonly cas: LocalCaManager;
  /** The local sandbox's control plane and admin key, started when needed; absent where the host has none. */
  readonly setupSandbox?: () => Promise<SetupSandbox>;
  readonly handlers: AgentHandlers<'drafts.fromCertificate' | 'profiles.add' | 'sessions.activate'>;
}

export function setupWizardOperations(context: OperationContext, options: SetupWizardOptions): CertificateHandlers & SetupHandlers {
  const { directory, viewOf, clock } = context;
  const { certificates, cas, handlers } = options;
  return {
    ...certificateOperations({ certificates, cas, clock }),
    ...setupOperations({
      dataDir: options.dataDir,
      env: options.env,
      homedir: options.homedir,
      transport: context.transport,
      certificates,
      cas,
      timeoutMs: () => context.requestTimeoutMs(),
      ...(options.setupSandbox && { sandbox: options.setupSandbox }),
      existingProfile: (name) => {
        const definition = directory.get(name);
        return definition && viewOf(definition);
      },
      addProfile: async (name, certificate, arns, durationSeconds) => {
        const draft = await handlers['drafts.fromCertificate']({ name: certificate });
        const [problem] = draft.problems;
        if (problem) throw new RolecallError(problem.code as ErrorCode, problem.detail);
        return handlers['profiles.add']({ name, draftId: draft.draftId, ...arns, durationSeconds });
      },
      activate: (name) => handlers['sessions.activate']({ name }),
    }),
  };
}
