// Bringing in what the user already has: credential_process lines of aws_signing_helper (or of
// Rolecall) in ~/.aws/config become profiles, and the trust anchors and profiles of an account are
// listed to pick from.
import { RolecallError } from '../../shared/errors';
import type { AwsFilePaths } from '../awsfiles';
import type { ProfileDefinition } from '../profiles';
import { applyImport, prepareImport } from '../profiles/import';
import { discoverRolesAnywhere } from '../rolesanywhere/discovery';
import type { OperationContext } from './context';
import type { AgentHandlers, Handler } from './handler-table';

export type ImportDiscoverOperation = 'import.preview' | 'import.apply' | 'discover.list';

export interface ImportOptions {
  readonly awsPaths: AwsFilePaths;
  /** How SDKs launch the CLI, for the credential_process lines written. */
  readonly cliCommand: readonly string[];
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
  /** Makes a profile whose key is on a PKCS#11 token, as `rolecall profiles add --certificate pkcs11:…` does. */
  readonly addFromToken: Handler<'profiles.addFromToken'>;
}

export function importDiscoverOperations(context: OperationContext, options: ImportOptions): AgentHandlers<ImportDiscoverOperation> {
  const { directory, drafts, profiles, emit, viewOf } = context;
  const prepare = async () => {
    const existing: readonly ProfileDefinition[] = await directory.reload();
    return prepareImport({
      configPath: options.awsPaths.config,
      launcher: options.cliCommand,
      platform: options.platform,
      homedir: options.homedir,
      existingProfiles: existing.map((definition) => definition.name),
    });
  };
  return {
    async 'import.preview'() {
      return (await prepare()).plan;
    },
    async 'import.apply'({ awsProfiles, passphrases }) {
      const result = await applyImport(await prepare(), { awsProfiles, ...(passphrases && { passphrases }) }, {
        addProfile: async (line) => {
          const connection = {
            trustAnchorArn: line.trustAnchorArn,
            profileArn: line.profileArn,
            roleArn: line.roleArn,
            delivery: 'process' as const,
            // The line being replaced is Rolecall's to rewrite: it ran aws_signing_helper or rolecall.
            force: true,
            ...(line.region !== undefined && { signingRegion: line.region }),
            ...(line.durationSeconds !== undefined && { durationSeconds: line.durationSeconds }),
            ...(line.roleSessionName !== undefined && { roleSessionName: line.roleSessionName }),
            ...(line.endpoint !== undefined && { endpoint: line.endpoint }),
          };
          if ('token' in line) {
            await options.addFromToken({ name: line.name, ...line.token, ...(line.pin !== undefined && { pin: line.pin }), ...connection });
            return;
          }
          const draft = await drafts.open({
            certificatePath: line.certificatePath,
            ...(line.privateKeyPath !== undefined && { privateKeyPath: line.privateKeyPath }),
            ...(line.intermediatesPath !== undefined && { intermediatesPath: line.intermediatesPath }),
            ...(line.passphrase !== undefined && { passphrase: line.passphrase }),
          });
          if (!draft.unlocked) throw new RolecallError('KEY_PASSPHRASE_REQUIRED', `${line.name}: give its passphrase to import it`);
          const definition = await profiles.add({ name: line.name, draftId: draft.draftId, ...connection });
          directory.set(definition);
        },
        keepOriginals: async (configPath, originals) => {
          for (const [name, original] of originals) await profiles.delivery.keepImported(name, configPath, original);
        },
      });
      for (const name of result.imported) {
        const definition = directory.get(name);
        if (definition) emit('profile.changed', viewOf(definition));
      }
      return result;
    },
    async 'discover.list'({ using, region, endpoint }) {
      const credentials = await context.awsCredentials(using);
      const discoveryEndpoint = endpoint ?? (using.kind === 'rolecall' ? directory.require(using.name).endpoint : undefined);
      return discoverRolesAnywhere(
        { region, credentials, ...(discoveryEndpoint !== undefined && { endpoint: discoveryEndpoint }) },
        { transport: context.transport, timeoutMs: await context.requestTimeoutMs() },
      );
    },
  };
}
