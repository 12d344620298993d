// Pickers by name, a profile's details with its timeline, and console sign-in, against a real agent and
// the sandbox (harness/real-agent.ts): discovery lists two trust anchors of which the certificate chains
// to one, the editor offers names (not IDs) and preselects that one and shows whole ARNs, the saved
// profile's row shows the names (IDs on hover), and its details show the certificate, tags, resources,
// the AWS files it writes and the agent's timeline; the console opens from the row menu and the details.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from '../helpers/fixture-sandbox';
import { readFile } from 'node:fs/promises';
import { pkiPath, readPki } from '../helpers/fixtures';
import { clippedFieldsIn } from './harness/clipping';
import { installRolecallBridge } from './harness/install-bridge';
import { startRealAgent, type RealAgent } from './harness/real-agent';
import { shoot } from './harness/screenshots';
import { serveRenderer, type ServedRenderer } from './harness/serve-renderer';

const INTERMEDIATES = pkiPath('intermediate-ca.cert.pem');
const EC = { certificate: pkiPath('leaf-ec-p256.cert.pem'), key: pkiPath('leaf-ec-p256.key.pkcs8.pem') };
const OTHER_ANCHOR_ID = '0b1e5a3c-0000-4000-8000-0000000000aa';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

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
    // A second trust anchor for a CA the test certificates do not chain to, listed first by name.
    const agent = await startRealAgent({
      sandbox: {
        trustAnchors: [
          { id: OTHER_ANCHOR_ID, name: 'another-team', caPem: readPki('is-ca.cert.pem') },
          { id: TRUST_ANCHOR_ARN.split('/').pop() ?? '', name: 'test-root', caPem: readPki('root-ca.cert.pem') },
        ],
      },
    });
    try {
      await use(agent);
    } finally {
      await agent.close();
    }
  },
});

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

/** A profile with typed ARNs whose session discovery then lists with. */
async function addLister(agent: RealAgent): Promise<void> {
  const draft = await agent.run('drafts.open', { certificatePath: EC.certificate, privateKeyPath: EC.key, intermediatesPath: INTERMEDIATES });
  await agent.run('profiles.add', { name: 'lister', draftId: draft.draftId, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, endpoint: agent.sandbox.url });
  await agent.run('sessions.activate', { name: 'lister' });
}

test('the editor offers trust anchors, profiles and roles by name, preselects the anchor the certificate chains to, and the row shows the names saved', async ({ agent, context, page }) => {
  await addLister(agent);
  const problems = await open(context, page, agent);

  agent.setChosenFiles([EC.certificate, EC.key, INTERMEDIATES]);
  await page.getByRole('button', { name: 'Add profile' }).click();
  const editor = page.getByRole('dialog', { name: 'Add profile' });
  await editor.getByLabel('Name', { exact: true }).fill('dev');
  await editor.getByRole('button', { name: 'Choose files…' }).click();
  // The certificate is read before the listing, as a person sees its tags before choosing where it goes:
  // the anchor it chains to is preselected when the listing comes in.
  await expect(editor.getByText('Principal tags the session will carry')).toBeVisible();
  await editor.getByRole('button', { name: 'List', exact: true }).click();
  await expect(editor.getByRole('status')).toHaveText('Found 2 trust anchors and 1 profile in us-east-1; pick them by name below.');

  const anchors = editor.getByRole('combobox', { name: 'Trust anchor', exact: true });
  // Names, never IDs; the one the certificate chains to comes first, marked, and is chosen.
  await expect(anchors.locator('option')).toHaveText(['Choose…', "test-root — your certificate's CA", 'another-team']);
  await expect(anchors).toHaveValue(TRUST_ANCHOR_ARN);
  await expect(anchors).toHaveAttribute('title', TRUST_ANCHOR_ARN);
  await expect(editor.getByLabel('Trust anchor ARN')).toHaveValue(TRUST_ANCHOR_ARN);
  const profiles = editor.getByRole('combobox', { name: 'Profile', exact: true });
  await expect(profiles.locator('option')).toHaveText(['Choose…', 'developers']);
  await expect(profiles).toHaveValue(PROFILE_ARN);
  const roles = editor.getByRole('combobox', { name: 'Role', exact: true });
  await expect(roles.locator('option')).toHaveText(['Choose…', 'Developer']);
  await expect(roles).toHaveValue(ROLE_ARN);
  for (const list of [anchors, profiles, roles]) expect((await list.locator('option').allTextContents()).join(' ')).not.toMatch(UUID);

  // Picking another anchor by name puts its ARN in the field; a typed ARN still works and leaves the list.
  await anchors.selectOption({ label: 'another-team' });
  await expect(editor.getByLabel('Trust anchor ARN')).toHaveValue(TRUST_ANCHOR_ARN.replace(/[^/]+$/, OTHER_ANCHOR_ID));
  await editor.getByLabel('Trust anchor ARN').fill(TRUST_ANCHOR_ARN);
  await expect(anchors).toHaveValue(TRUST_ANCHOR_ARN);
  // Each ARN is readable whole at 900 px: the field wraps it instead of scrolling it out of sight.
  expect(page.viewportSize()?.width).toBe(900);
  const arnFields = editor.locator('textarea.arn-input');
  expect(await arnFields.evaluateAll((fields) => fields.map((field) => (field as unknown as { value: string }).value))).toEqual([TRUST_ANCHOR_ARN, PROFILE_ARN, ROLE_ARN]);
  expect(await arnFields.evaluateAll(clippedFieldsIn)).toEqual([]);
  await shoot(page, 'pickers-by-name', { height: 900 });

  await editor.getByRole('button', { name: 'Add profile' }).click();
  await expect(editor).toBeHidden();
  const row = page.getByRole('listitem', { name: 'dev' });
  await expect(row.getByText('test-root')).toBeVisible();
  await expect(row.getByText('developers')).toBeVisible();
  expect(await row.locator('.row-sub').textContent()).not.toMatch(/[0-9a-f]{8}…/);
  // The IDs are a hover away: the names' tooltips hold the whole ARNs.
  await expect(row.locator('.arn-part', { hasText: 'test-root' })).toHaveAttribute('title', `anchor test-root\n${TRUST_ANCHOR_ARN}`);
  await expect(row.locator('.arn-part', { hasText: 'developers' })).toHaveAttribute('title', new RegExp(`\\n${PROFILE_ARN.replace(/[/.]/g, '\\$&')}$`));
  // The names are the profile's own now, without discovery.
  expect((await agent.run('profiles.get', { name: 'dev' })).names).toEqual({ trustAnchor: 'test-root', profile: 'developers' });
  expect(problems).toEqual([]);
});

/** A federation sign-in URL the sandbox takes to the console home in the tools' region; its token went to the browser only. */
async function expectConsoleSignIn(agent: RealAgent, opened: string | undefined): Promise<void> {
  const login = await fetch(opened ?? '', { redirect: 'manual' });
  expect(login.status).toBe(302);
  expect(login.headers.get('location')).toBe(`${agent.sandbox.url}/console/console/home?region=eu-west-1`);
  const token = new URL(opened ?? '').searchParams.get('SigninToken') ?? '';
  expect(token).not.toBe('');
  expect(JSON.stringify(agent.sentToPage)).not.toContain(token);
}

test('a profile\'s details show its certificate, tags, resources by name and ARN, delivery and the agent\'s timeline, and open the console', async ({ agent, context, page }) => {
  await addLister(agent);
  const draft = await agent.run('drafts.open', { certificatePath: EC.certificate, privateKeyPath: EC.key, intermediatesPath: INTERMEDIATES });
  await agent.run('profiles.add', {
    name: 'dev',
    draftId: draft.draftId,
    trustAnchorArn: TRUST_ANCHOR_ARN,
    profileArn: PROFILE_ARN,
    roleArn: ROLE_ARN,
    endpoint: agent.sandbox.url,
    names: { trustAnchor: 'test-root', profile: 'developers' },
    toolRegion: 'eu-west-1',
  });
  await agent.run('sessions.activate', { name: 'dev' });
  await agent.run('sessions.refresh', { name: 'dev' });
  const problems = await open(context, page, agent);
  const row = page.getByRole('listitem', { name: 'dev' });
  await expect(row.getByText('Active', { exact: true })).toBeVisible();

  // The console from the row's menu, without opening the details.
  await row.getByRole('button', { name: 'More actions for dev' }).click();
  await page.getByRole('menuitem', { name: 'Open AWS console' }).click();
  await expect(page.getByText('Opened the AWS console for dev in your browser.')).toBeVisible();
  expect(agent.openedUrls).toHaveLength(1);
  await expectConsoleSignIn(agent, agent.openedUrls[0]);

  // How fast it opens is bench/renderer.bench.ts's figure; here, that a click on the name opens it.
  await row.getByRole('button', { name: 'Details of dev' }).click();

  const details = page.getByRole('dialog', { name: 'dev' });
  await expect(details.getByText('C=US, O=Example Corp, OU=Engineering, CN=leaf-ec-p256').or(details.getByText(/CN=leaf-ec-p256/)).first()).toBeVisible();
  await expect(details.getByRole('meter', { name: 'Validity used' })).toBeVisible();
  const view = await agent.run('profiles.get', { name: 'dev' });
  const summary = view.certificate;
  const certificate = details.locator('section', { has: page.getByRole('heading', { name: 'Certificate' }) });
  await expect(certificate.locator('dt:text-is("Issuer") + dd')).toHaveText(summary.issuer);
  expect(view.chain).toHaveLength(1);
  expect(await certificate.locator('.detail-chain li').allTextContents()).toEqual(view.chain.map((each) => each.subject));
  await expect(certificate.locator('dt:text-is("Came from") + dd')).toHaveText('Your certificate file; its private key is in the OS keychain');
  await expect(details.getByText(summary.fingerprintSha256)).toBeVisible();
  await expect(details.getByText(summary.serialHex, { exact: true })).toBeVisible();
  await expect(details.getByText('aws:PrincipalTag/x509Subject/CN')).toBeVisible();
  await expect(details.getByText('test-root')).toBeVisible();
  await expect(details.getByText(TRUST_ANCHOR_ARN)).toBeVisible();
  await expect(details.getByText('developers')).toBeVisible();
  await expect(details.getByText(PROFILE_ARN)).toBeVisible();
  await expect(details.getByText(ROLE_ARN)).toBeVisible();
  // Every AWS file it writes: the keys in the credentials file, and the tools' region in the config file.
  const files = details.getByRole('list', { name: 'AWS files it writes' }).getByRole('listitem');
  expect(await files.allTextContents()).toEqual([
    `${agent.credentialsFile}[dev]: aws_access_key_id, aws_secret_access_key, aws_session_token, rewritten at each refresh`,
    `${agent.configFile}[profile dev]: region = eu-west-1`,
  ]);
  expect(await readFile(agent.credentialsFile, 'utf8')).toMatch(/\[dev\]\naws_access_key_id = /);
  expect(await readFile(agent.configFile, 'utf8')).toMatch(/\[profile dev\]\nregion = eu-west-1/);
  const timeline = details.getByRole('list', { name: 'Events of dev' });
  // Newest first: the refresh, then the activation.
  expect(await timeline.locator('.timeline-kind').allTextContents()).toEqual(['Delivered', 'Session refreshed', 'Delivered', 'Session minted']);
  await shoot(page, 'profile-details', { height: 1300 });

  await details.getByRole('button', { name: 'Open AWS console' }).click();
  await expect.poll(() => agent.openedUrls.length).toBe(2);
  await expectConsoleSignIn(agent, agent.openedUrls[1]);

  // A failure shows with its cause: the sandbox disables the profile, a refresh fails, the timeline says why.
  agent.sandbox.config.profiles[0]!.enabled = false;
  await agent.call('sessions.refresh', { name: 'dev' });
  await expect(timeline.locator('.timeline-failed')).toHaveCount(1);
  await expect(timeline.locator('.timeline-failed .timeline-text')).not.toBeEmpty();
  // The failure's cause, as the service's checks find it, is one click away.
  await details.getByRole('button', { name: 'Why?' }).click();
  await expect(page.getByRole('dialog', { name: 'Why dev fails' })).toBeVisible();
  expect(problems).toEqual([]);
});
