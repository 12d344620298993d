// A profile world in a temp folder: Rolecall's data folder, AWS files at explicit paths (as
// AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE would give), a clock the test moves, and the manager.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsFilePaths } from '../../../src/core/awsfiles';
import { DraftRegistry, ProfileManager, ProfileRepository, type AddProfileInput } from '../../../src/core/profiles';
import type { SecretStore } from '../../../src/core/secrets';
import { FIXTURE_PASSWORD, pkiPath } from '../../helpers/fixtures';
import { VirtualClock } from '../../helpers/virtual-clock';

export const TRUST_ANCHOR_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/0a1b2c3d-1111-2222-3333-444455556666';
export const PROFILE_ARN = 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff';
export const OTHER_REGION_PROFILE_ARN = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/developer';
export const CLI_COMMAND = ['/usr/bin/node', '/opt/rolecall/bin/rolecall.mjs'];
export { FIXTURE_PASSWORD };

/** The clock profile tests move, from 2026-06-01: inside the fixture certificates' validity. */
export function profilesClock(): VirtualClock {
  return new VirtualClock({ start: Date.UTC(2026, 5, 1) });
}

export interface World {
  readonly root: string;
  readonly dataDir: string;
  readonly awsPaths: AwsFilePaths;
  readonly clock: VirtualClock;
  readonly repository: ProfileRepository;
  readonly drafts: DraftRegistry;
  readonly manager: ProfileManager;
  dispose(): Promise<void>;
}

export async function createWorld(secrets: SecretStore): Promise<World> {
  const root = await mkdtemp(join(tmpdir(), 'rolecall-profiles-'));
  const dataDir = join(root, 'Rolecall');
  const awsDir = join(root, 'aws');
  await mkdir(awsDir, { mode: 0o700 });
  const awsPaths = { credentials: join(awsDir, 'credentials'), config: join(awsDir, 'config') };
  const clock = profilesClock();
  const repository = new ProfileRepository({ dataDir });
  const drafts = new DraftRegistry({ clock });
  const manager = new ProfileManager({ repository, drafts, secrets, awsPaths, clock, cliCommand: CLI_COMMAND, platform: 'linux' });
  return { root, dataDir, awsPaths, clock, repository, drafts, manager, dispose: () => rm(root, { recursive: true, force: true }) };
}

/** A draft of the RSA-2048 leaf with its PKCS#8 key and the intermediate. */
export async function openRsaDraft(world: World, leaf = 'leaf-rsa2048'): Promise<string> {
  const view = await world.drafts.open({
    certificatePath: pkiPath(`${leaf}.cert.pem`),
    privateKeyPath: pkiPath(`${leaf}.key.pkcs8.pem`),
    intermediatesPath: pkiPath('intermediate-ca.cert.pem'),
  });
  return view.draftId;
}

export function addInput(name: string, draftId: string, extra: Partial<AddProfileInput> = {}): AddProfileInput {
  return { name, draftId, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, ...extra };
}

/** The base64 lines of a PEM body: what would show if a key were written anywhere in text form. */
export function pemBodyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
}

/** Every file under a folder, with its bytes. */
export async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (path) => ({ path, text: (await readFile(path)).toString('latin1') })));
}

export const SESSION = {
  accessKeyId: 'ASIAEXAMPLEPROFILES1',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYprofilesKEY',
  sessionToken: 'FwoGZXIvYXdzEProfilesSessionToken//////////',
  expiration: '2026-06-01T01:00:00Z',
  roleArn: ROLE_ARN,
};

/** A user's credentials file with comments, other profiles and odd spacing, CRLF included. */
export const USER_CREDENTIALS = '# my credentials, edited by hand\n[default]\naws_access_key_id = AKIAUSERDEFAULT00001\naws_secret_access_key=userSecretDefault\r\n\n; the prod account\n[prod]\naws_access_key_id   =   AKIAUSERPROD00000001\naws_secret_access_key = userSecretProd\n';
export const USER_CONFIG = '[default]\nregion = us-west-2\noutput = json\n\n# sandbox tools\n[profile tools]\nregion = ap-southeast-2\ns3 =\n    max_concurrent_requests = 4\n';
