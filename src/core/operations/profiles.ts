// Profiles and the drafts they are made from: the agent's state, adding (from files or a PKCS#11
// token), editing, renaming and removing. Each change updates the definitions in memory and tells
// subscribers; a rename moves the profile's session and PIN with it.
import { RolecallError } from '../../shared/errors';
import type { AppState } from '../../shared/model';
import type { CertificateManager } from '../certificates';
import { Certificate, parseCertificates, readInputFile } from '../pki';
import { listTokens, parsePkcs11Uri, withoutPinValue, withTokenKey, type TokenPins } from '../pkcs11';
import type { ProfileDefinition } from '../profiles';
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

export type ProfileOperation =
  | 'state.get'
  | 'profiles.get'
  | 'profiles.add'
  | 'profiles.addFromToken'
  | 'profiles.edit'
  | 'profiles.rename'
  | 'profiles.remove'
  | 'drafts.open'
  | 'drafts.unlock'
  | 'drafts.fromCertificate'
  | 'drafts.forProfileKey'
  | 'tokens.list';

export interface ProfileOperationsOptions {
  readonly tokenPins: TokenPins;
  readonly certificates: CertificateManager;
}

export function profileOperations(context: OperationContext, { tokenPins, certificates }: ProfileOperationsOptions): AgentHandlers<ProfileOperation> {
  const { directory, profiles, drafts, sessions, settings, emit, viewOf } = context;

  /** After the store renamed a profile: its session, PIN and subscribers follow. */
  const moveProfile = async (name: string, definition: ProfileDefinition): Promise<void> => {
    directory.delete(name);
    directory.set(definition);
    await sessions.rename(name, definition.name);
    tokenPins.rename(name, definition.name);
    emit('profile.removed', { name });
  };

  /** After an edit that changed what the AWS files hold for a profile. */
  const redeliver = async (name: string): Promise<void> => {
    if (sessions.state(name).status === 'inactive') await profiles.delivery.withdraw(name);
    else await sessions.refresh(name);
  };

  const added = (definition: ProfileDefinition) => {
    directory.set(definition);
    const view = viewOf(definition);
    emit('profile.changed', view);
    return view;
  };

  return {
    async 'state.get'(): Promise<AppState> {
      const list = await directory.reload();
      return { profiles: list.map((definition) => viewOf(definition)), settings: await settings.read(), agent: context.info };
    },
    async 'profiles.get'({ name }) {
      await directory.reload();
      return viewOf(directory.require(name));
    },
    async 'profiles.add'(input) {
      return added(await profiles.add(input));
    },
    async 'profiles.addFromToken'(input) {
      const { certificateUri, certificatePath, privateKeyUri, modulePath, pin, keepPin, ...fields } = input;
      if (certificateUri === undefined && privateKeyUri === undefined) throw new RolecallError('USAGE', 'a profile on a token needs a pkcs11: URI for its certificate or its key');
      const fileLeaf = certificatePath === undefined ? undefined : onlyLeaf(await readInputFile(certificatePath, 'certificate file'));
      if (certificateUri === undefined && fileLeaf === undefined) throw new RolecallError('USAGE', 'give the certificate: a pkcs11: URI or its file');
      const found = await withTokenKey(
        {
          certificate: certificateUri !== undefined ? { uri: parsePkcs11Uri(certificateUri) } : { der: (fileLeaf as Certificate).der },
          ...(privateKeyUri !== undefined && { privateKey: parsePkcs11Uri(privateKeyUri) }),
          ...(modulePath !== undefined && { modulePath }),
          ...(pin !== undefined && { pin }),
          reusePin: true,
        },
        async (key) => ({ certificateDer: key.certificateDer, chainDer: key.chainDer, pin: key.pin }),
      );
      const definition = await profiles.addWithTokenKey({
        ...fields,
        leaf: Certificate.fromDer(found.certificateDer),
        chain: found.chainDer.map((der) => Certificate.fromDer(der)),
        source: {
          kind: 'pkcs11',
          ...(certificateUri !== undefined && { certificateUri: withoutPinValue(certificateUri) }),
          ...(privateKeyUri !== undefined && { privateKeyUri: withoutPinValue(privateKeyUri) }),
          ...(modulePath !== undefined && { modulePath }),
        },
        ...(keepPin === true && found.pin !== undefined && { pinToKeep: found.pin }),
      });
      if (found.pin !== undefined) tokenPins.give(definition.name, found.pin);
      return added(definition);
    },
    async 'profiles.edit'(input) {
      const change = await profiles.edit(input);
      const { definition } = change;
      if (definition.name === input.name) directory.set(definition);
      else await moveProfile(input.name, definition);
      if (change.redeliver || input.draftId !== undefined) await redeliver(definition.name);
      sessions.recheck();
      const view = viewOf(definition);
      emit('profile.changed', view);
      return view;
    },
    async 'profiles.rename'({ name, newName, force }) {
      const change = await profiles.rename(name, newName, force === undefined ? {} : { force });
      await moveProfile(name, change.definition);
      const view = viewOf(change.definition);
      emit('profile.changed', view);
      return view;
    },
    async 'profiles.remove'({ name }) {
      directory.require(name);
      await sessions.forget(name);
      await profiles.remove(name);
      tokenPins.forget(name);
      directory.delete(name);
      emit('profile.removed', { name });
      return { removed: name };
    },
    async 'drafts.open'(input) {
      return drafts.open(input);
    },
    async 'drafts.unlock'({ draftId, passphrase }) {
      return drafts.unlock(draftId, passphrase);
    },
    async 'drafts.fromCertificate'({ name }) {
      const record = await certificates.get(name);
      return drafts.adopt(await certificates.credentials(name), { certificateName: name, ...(record.key.kind === 'file' && { keyPath: record.key.path }) });
    },
    async 'drafts.forProfileKey'({ name, privateKeyPath, passphrase }) {
      await directory.reload();
      return drafts.openKeyFor(directory.require(name), privateKeyPath, passphrase);
    },
    async 'tokens.list'({ modulePath }) {
      return listTokens(modulePath);
    },
  };
}

function onlyLeaf(file: Buffer): Certificate {
  const [leaf] = parseCertificates(file);
  if (!leaf) throw new RolecallError('CERT_NOT_FOUND');
  return leaf;
}
