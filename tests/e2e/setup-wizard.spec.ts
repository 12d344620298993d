// "Set up Roles Anywhere" from the empty screen, in Chromium against a real agent (harness/real-agent.ts):
// a key made in the test run's throwaway keyring, a certificate from a Rolecall CA or from openssl (the
// tutorials' CA) for the key's request, the trust policy from the boxes ticked, the role's name, policies
// and session length, the AWS side written as a template or commands (for the sandbox and for an AWS CLI
// profile) and created in the local sandbox's control plane, and the profile switched on; the AWS CLI then
// signs in with it and its details say where the certificate came from. Only the save dialog is stood in
// for. A screenshot per step.
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ERRORS } from '../../src/shared/errors';
import { signWithOpenssl } from '../core/certificates/helpers';
import { issueOpensslLeaf, makeOpensslCa } from '../sandbox/openssl-ca';
import { contrastOfText } from './harness/contrast';
import { installRolecallBridge } from './harness/install-bridge';
import { startRealAgent, type RealAgent } from './harness/real-agent';
import { shoot } from './harness/screenshots';
import { serveRenderer, type ServedRenderer } from './harness/serve-renderer';

const run = promisify(execFile);

let served: ServedRenderer;
base.beforeAll(async () => {
  served = await serveRenderer();
});
base.afterAll(async () => {
  await served.close();
});

const test = base.extend<{ agent: RealAgent }>({
  // eslint-disable-next-line no-empty-pattern
  agent: async ({}, use) => {
    const agent = await startRealAgent();
    try {
      await use(agent);
    } finally {
      await agent.close();
    }
  },
});
// Keys, a CA, a setup against the sandbox and a dozen screenshots: over a minute on a loaded machine.
test.setTimeout(180_000);

async function open(context: BrowserContext, page: Page, agent: RealAgent): Promise<string[]> {
  await installRolecallBridge(context, agent.call, agent.subscribe);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(served.url);
  return problems;
}

async function openWizard(page: Page) {
  await page.getByRole('button', { name: /Set up Roles Anywhere/ }).click();
  return page.getByRole('dialog', { name: 'Set up Roles Anywhere' });
}

async function callerIdentity(agent: RealAgent, profile: string, endpoint: string): Promise<{ Arn: string }> {
  const { stdout } = await run('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', profile, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'], {
    env: { PATH: process.env.PATH, HOME: agent.home, AWS_SHARED_CREDENTIALS_FILE: agent.credentialsFile, AWS_CONFIG_FILE: agent.configFile, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  return JSON.parse(stdout) as { Arn: string };
}

/** Every piece of text in the wizard reaches WCAG AA (4.5:1) in light and in dark. */
async function expectAaContrast(page: Page, wizard: Locator) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const pieces = await wizard.evaluateAll(contrastOfText);
    expect(pieces.length).toBeGreaterThan(15);
    for (const { text, ratio } of pieces) expect(ratio, `${colorScheme}: contrast of "${text}"`).toBeGreaterThanOrEqual(4.5);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the wizard takes a newcomer from the empty screen to an active profile with a Rolecall CA and the local sandbox', async ({ agent, context, page }) => {
  const problems = await open(context, page, agent);
  await expect(page.getByRole('heading', { name: 'Sign in to AWS with your certificate' })).toBeVisible();
  await shoot(page, 'setup-0-empty', { bothSchemes: true });
  const wizard = await openWizard(page);
  await expect(wizard.getByRole('list', { name: 'Steps' }).getByRole('listitem').first()).toHaveAttribute('aria-current', 'step');

  // A subject Roles Anywhere cannot map is refused with the window's words, and leaves no key behind.
  await wizard.getByLabel('Name', { exact: true }).fill('alice');
  await wizard.getByLabel('Subject', { exact: true }).fill('alice');
  await wizard.getByLabel("New CA's name").fill('team-ca');
  await wizard.getByLabel("New CA's subject").fill('CN=Team CA,O=Example Corp');
  await wizard.getByRole('button', { name: 'Create key' }).click();
  const alert = wizard.getByRole('alert');
  await expect(alert).toContainText(ERRORS.SUBJECT_INVALID.message);
  await expect(agent.run('certificates.list', {})).resolves.toEqual([]);
  await shoot(page, 'setup-1-bad-subject');

  await wizard.getByLabel('Subject', { exact: true }).fill('CN=alice,OU=devops,O=Example Corp');
  await expect(alert).toHaveCount(0);
  await expect(wizard.getByLabel('Key type')).toHaveValue('p256');
  await shoot(page, 'setup-1-key', { bothSchemes: true });
  await wizard.getByRole('button', { name: 'Create key' }).click();

  // Step 2: the subject's OU and CN are ticked, as the tutorials pin them; the policy says so.
  const policy = wizard.getByRole('region', { name: 'Trust policy of rolecall-alice' });
  await expect(policy).toContainText('"aws:PrincipalTag/x509Subject/OU": "devops"');
  await expect(policy).toContainText('"aws:PrincipalTag/x509Subject/CN": "alice"');
  await expect(policy).toContainText('"aws:SourceArn": "<ARN of trust anchor rolecall-alice>"');
  const organisation = wizard.getByRole('checkbox', { name: 'aws:PrincipalTag/x509Subject/O = Example Corp' });
  await expect(organisation).not.toBeChecked();
  await expect(wizard.getByRole('checkbox', { name: 'aws:PrincipalTag/x509Subject/OU = devops' })).toBeChecked();
  await expect(wizard.getByRole('checkbox', { name: 'aws:PrincipalTag/x509Issuer/CN = Team CA' })).not.toBeChecked();
  await organisation.check();
  await expect(policy).toContainText('"aws:PrincipalTag/x509Subject/O": "Example Corp"');
  await shoot(page, 'setup-2-policy', { height: 900, bothSchemes: true });
  // Nothing ticked would trust every certificate of the CA: refused, and there is no going on.
  for (const tag of ['x509Subject/O = Example Corp', 'x509Subject/OU = devops', 'x509Subject/CN = alice']) await wizard.getByRole('checkbox', { name: `aws:PrincipalTag/${tag}` }).uncheck();
  await expect(alert).toContainText(ERRORS.SETUP_TAG_MISSING.message);
  await expect(wizard.getByRole('button', { name: 'Next' })).toBeDisabled();
  await wizard.getByRole('checkbox', { name: 'aws:PrincipalTag/x509Subject/OU = devops' }).check();
  await wizard.getByRole('checkbox', { name: 'aws:PrincipalTag/x509Subject/CN = alice' }).check();
  await expect(alert).toHaveCount(0);
  await expect(policy).not.toContainText('x509Subject/O"');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Step 3: the role, with the CLI's defaults; a field the CLI would refuse says why beside it, and
  // nothing can be made until it is right.
  const roleName = wizard.getByLabel('Role name');
  const duration = wizard.getByLabel('Session duration (seconds)');
  const policies = wizard.getByLabel('Managed policies (one ARN a line)');
  const create = wizard.getByRole('button', { name: 'Create and switch on' });
  await expect(roleName).toHaveValue('rolecall-alice');
  await expect(duration).toHaveValue('3600');
  await expect(policies).toHaveValue('');
  await expect(wizard.getByText('None: the role can be used but allows nothing until a policy is attached.')).toBeVisible();
  await roleName.fill('alice role');
  await policies.fill('ReadOnlyAccess');
  await duration.fill('600');
  await expect(roleName).toHaveAttribute('aria-invalid', 'true');
  await expect(policies).toHaveAttribute('aria-invalid', 'true');
  await expect(duration).toHaveAttribute('aria-invalid', 'true');
  await expect(wizard.getByText('Use 1 to 64 letters, digits and +=,.@_- for the role name.')).toBeVisible();
  await expect(wizard.getByText('ReadOnlyAccess is not a managed policy ARN, such as arn:aws:iam::aws:policy/ReadOnlyAccess.')).toBeVisible();
  await expect(wizard.getByText(ERRORS.DURATION_INVALID.next)).toBeVisible();
  await expect(create).toBeDisabled();
  // What would be created is not shown for a role that cannot be.
  const resources = wizard.getByRole('region', { name: 'What will be created' });
  await expect(resources).toBeHidden();
  await shoot(page, 'setup-3-role-refused', { height: 900 });
  await expectAaContrast(page, wizard);
  await roleName.fill('rolecall-alice-dev');
  await policies.fill('arn:aws:iam::aws:policy/ReadOnlyAccess\narn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
  await duration.fill('7200');
  await expect(wizard.getByText('2 h', { exact: true })).toBeVisible();
  await expect(create).toBeEnabled();
  await expect(resources).toContainText('sessions up to 120 minutes; permissions arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
  await expect(resources).toContainText('hands out the role rolecall-alice-dev for 120 minutes at a time');
  await shoot(page, 'setup-3-role', { height: 900, bothSchemes: true });

  // A template to copy and save, the same as AWS CLI commands, then the resources created for real.
  await wizard.getByRole('radio', { name: /CloudFormation template/ }).check();
  await wizard.getByRole('button', { name: 'Write template' }).click();
  const template = wizard.getByRole('region', { name: 'CloudFormation template' });
  await expect(template).toContainText('AWS::RolesAnywhere::TrustAnchor');
  await expect(template).toContainText('"aws:PrincipalTag/x509Subject/CN": "alice"');
  await expect(template).toContainText('rolecall-alice-dev');
  await expect(template).toContainText('arn:aws:iam::aws:policy/ReadOnlyAccess,arn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
  await expect(wizard.getByText(/aws cloudformation deploy --template-file rolecall-alice\.yaml --stack-name rolecall-alice --capabilities CAPABILITY_NAMED_IAM/)).toBeVisible();
  await template.getByRole('button', { name: 'Copy' }).click();
  await expect(template.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(agent.clipboard.writes.at(-1)).toContain('AWS::RolesAnywhere::Profile');
  const saveFolder = await mkdtemp(join(agent.home, 'saved-'));
  agent.setSaveFolder(saveFolder);
  await template.getByRole('button', { name: 'Save…' }).click();
  await expect(template.getByRole('status')).toHaveText(`Saved to ${join(saveFolder, 'rolecall-alice.yaml')}.`);
  expect(await readFile(join(saveFolder, 'rolecall-alice.yaml'), 'utf8')).toContain('AWS::IAM::Role');
  await shoot(page, 'setup-3-template', { height: 900 });

  await wizard.getByRole('radio', { name: /AWS CLI commands/ }).check();
  await expect(wizard.getByRole('radio', { name: /The local sandbox/ })).toBeChecked();
  await wizard.getByRole('button', { name: 'Write commands' }).click();
  const commands = wizard.getByRole('region', { name: 'AWS CLI commands' });
  await expect(commands).toContainText('aws iam create-role --role-name rolecall-alice-dev');
  await expect(commands).toContainText('--max-session-duration 7200');
  await expect(commands).toContainText('aws iam attach-role-policy --role-name rolecall-alice-dev --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess');
  await expect(commands).toContainText('aws iam attach-role-policy --role-name rolecall-alice-dev --policy-arn arn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
  await expect(commands).toContainText('--duration-seconds 7200');
  await expect(commands).toContainText('--endpoint-url http://127.0.0.1:');
  await shoot(page, 'setup-3-commands', { height: 900 });

  // For an AWS account of one's own: the commands use its AWS CLI profile and region, and nothing points at the sandbox.
  await wizard.getByRole('radio', { name: /My AWS account/ }).check();
  await wizard.getByRole('button', { name: 'Write commands' }).click();
  await expect(wizard.getByText('Give the AWS CLI profile whose credentials create the resources.')).toBeVisible();
  await expect(wizard.getByText('Give the Roles Anywhere region, such as eu-west-1.')).toBeVisible();
  await wizard.getByRole('textbox', { name: 'AWS CLI profile' }).fill('admin');
  await wizard.getByRole('textbox', { name: 'Region' }).fill('eu-west-1');
  await wizard.getByRole('button', { name: 'Write commands' }).click();
  await expect(commands).toContainText('aws iam attach-role-policy --role-name rolecall-alice-dev --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --region eu-west-1 --profile admin');
  await expect(commands).not.toContainText('--endpoint-url');
  await shoot(page, 'setup-3-commands-aws', { height: 900 });

  // Created in that account: the preview lists every resource; this run's home has no AWS CLI profile
  // "admin", so the agent refuses before anything is made, and says how to check the profile.
  await wizard.getByRole('radio', { name: /Create it now/ }).check();
  await expect(wizard.getByRole('radio', { name: /My AWS account/ })).toBeChecked();
  await expect(resources).toContainText('rolecall-alice-dev');
  await expect(resources).toContainText('permissions arn:aws:iam::aws:policy/ReadOnlyAccess');
  await shoot(page, 'setup-3-aws-account', { height: 900 });
  await create.click();
  await expect(alert).toContainText(ERRORS.AWS_PROFILE_UNUSABLE.message);
  expect((await agent.run('state.get', {})).profiles).toEqual([]);
  await wizard.getByRole('radio', { name: /The local sandbox/ }).check();
  await expect(resources).toContainText('rolecall-alice-dev');
  await expect(resources).toContainText('rolecall:setup=alice');
  await shoot(page, 'setup-3-create', { height: 900, bothSchemes: true });
  await expectAaContrast(page, wizard);
  await wizard.getByRole('button', { name: 'Create and switch on' }).click();

  // Step 4: the profile is active with the new ARNs, and the certificate says where it came from.
  const done = wizard.getByRole('status', { name: 'Set up alice' });
  await expect(done).toContainText('alice is active', { timeout: 30_000 });
  await expect(done).toContainText('issued by the Rolecall CA team-ca');
  await expect(done).toContainText('Rolecall renews it before then, around');
  await expect(done.getByText(/^arn:aws:rolesanywhere:us-east-1:\d{12}:trust-anchor\//)).toBeVisible();
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Created IAM role rolecall-alice-dev' })).toBeVisible();
  await expect(wizard.getByRole('listitem').filter({ hasText: 'Attached managed policy arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' })).toBeVisible();
  await shoot(page, 'setup-4-done', { height: 900, bothSchemes: true });
  await wizard.getByRole('button', { name: 'Done' }).click();
  await expect(wizard).toBeHidden();

  const row = page.getByRole('listitem', { name: 'alice' });
  await expect(row.getByRole('switch', { name: 'Activate alice' })).toHaveAttribute('aria-checked', 'true');
  await shoot(page, 'setup-5-list');
  const profile = await agent.run('profiles.get', { name: 'alice' });
  expect(profile.certificateRequest).toBe('alice');
  expect(profile.roleArn).toMatch(/:role\/rolecall-alice-dev$/);
  // The two hours chosen: the profile asks for them, and the session the sandbox gave lasts longer than the default hour.
  expect(profile.durationSeconds).toBe(7200);
  expect(Date.parse(profile.expiresAt ?? '') - Date.now()).toBeGreaterThan(3600_000);
  expect((await callerIdentity(agent, 'alice', profile.endpoint ?? '')).Arn).toMatch(/:assumed-role\/rolecall-alice-dev\//);

  // Its details: the certificate came from the Rolecall CA, and the agent renews it before it ends.
  await row.getByRole('button', { name: 'Details of alice' }).click();
  const details = page.getByRole('dialog', { name: 'alice' });
  const certificate = details.locator('section', { has: page.getByRole('heading', { name: 'Certificate' }) });
  await expect(certificate.locator('dt:text-is("Came from") + dd')).toHaveText('Issued by the Rolecall CA team-ca to the Rolecall certificate request “alice” (its key was made in the keychain)');
  const [request] = await agent.run('certificates.list', {});
  const renewsAt = request?.renewsAt ?? '';
  expect(Date.parse(renewsAt)).toBeLessThan(Date.parse(profile.certificate.notAfter));
  const renewsOn = await page.evaluate((iso) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), renewsAt);
  await expect(certificate.locator('dt:text-is("Renews") + dd')).toHaveText(`Rolecall renews it on ${renewsOn}`);
  await shoot(page, 'setup-6-details', { height: 900 });

  // The page never saw a private key, nor a session's secrets.
  const sent = JSON.stringify(agent.sentToPage);
  expect(sent).not.toContain('PRIVATE KEY');
  const secrets = [...(await readFile(agent.credentialsFile, 'utf8')).matchAll(/^aws_(?:secret_access_key|session_token) = (\S+)$/gm)].map((match) => match[1] ?? '');
  expect(secrets).toHaveLength(2);
  for (const secret of secrets) expect(sent).not.toContain(secret);
  expect(problems).toEqual([]);
});

test('the wizard makes a request for another CA, imports the certificate openssl issued for it, and sets it up', async ({ agent, context, page }) => {
  const problems = await open(context, page, agent);
  const ca = await makeOpensslCa(await mkdtemp(join(agent.home, 'ca-')), 'Team Root CA');
  const wizard = await openWizard(page);
  await wizard.getByLabel('Name', { exact: true }).fill('bob');
  await wizard.getByLabel('Subject', { exact: true }).fill('CN=bob,OU=devops,O=Example Corp');
  await wizard.getByLabel('Key type').selectOption('rsa2048');
  await wizard.getByRole('radio', { name: /Another CA/ }).check();
  await wizard.getByRole('button', { name: 'Create key' }).click();

  const csr = wizard.getByRole('region', { name: 'Certificate request (CSR)' });
  await expect(csr).toContainText('-----BEGIN CERTIFICATE REQUEST-----');
  await shoot(page, 'setup-1-request', { height: 900, bothSchemes: true });
  const csrPem = (await csr.locator('pre').textContent()) ?? '';
  const dir = await mkdtemp(join(agent.home, 'issued-'));

  // A certificate for another key is refused, naming both keys' fingerprints.
  const other = await issueOpensslLeaf(ca, 'carol', '/C=US/O=Example Corp/OU=devops/CN=carol');
  await wizard.getByLabel('Choose the file: Certificate your CA issued (PEM)').setInputFiles(other.certificatePath);
  await wizard.getByLabel('Choose the file: CA certificate (PEM)').setInputFiles(ca.certificatePath);
  await wizard.getByRole('button', { name: 'Import certificate' }).click();
  await expect(wizard.getByRole('alert')).toContainText(ERRORS.ISSUED_KEY_MISMATCH.message);
  await shoot(page, 'setup-1-import-refused', { height: 900 });

  const issuedPath = join(dir, 'bob.pem');
  await writeFile(issuedPath, await signWithOpenssl(ca, csrPem));
  await wizard.getByLabel('Choose the file: Certificate your CA issued (PEM)').setInputFiles(issuedPath);
  await expect(wizard.getByLabel('Certificate your CA issued (PEM)', { exact: true })).toHaveValue(/^-----BEGIN CERTIFICATE-----/);
  await wizard.getByRole('button', { name: 'Import certificate' }).click();
  const policy = wizard.getByRole('region', { name: 'Trust policy of rolecall-bob' });
  await expect(policy).toContainText('"aws:PrincipalTag/x509Subject/CN": "bob"');
  await expect(wizard.getByRole('checkbox', { name: 'aws:PrincipalTag/x509Issuer/CN = Team Root CA' })).not.toBeChecked();
  await shoot(page, 'setup-2-policy-request', { height: 900 });
  await expect(agent.run('certificates.list', {})).resolves.toEqual([expect.objectContaining({ name: 'bob', state: 'issued', keyType: 'rsa2048', issuedBy: { kind: 'external' } })]);

  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByRole('button', { name: 'Create and switch on' }).click();
  const done = wizard.getByRole('status', { name: 'Set up bob' });
  await expect(done).toContainText('bob is active', { timeout: 30_000 });
  await expect(done).toContainText('Ask your CA for a new one before then.');
  await wizard.getByRole('button', { name: 'Done' }).click();
  const profile = await agent.run('profiles.get', { name: 'bob' });
  expect((await callerIdentity(agent, 'bob', profile.endpoint ?? '')).Arn).toMatch(/:assumed-role\/rolecall-bob\//);
  expect(JSON.stringify(agent.sentToPage)).not.toContain('PRIVATE KEY');
  expect(problems).toEqual([]);
});
