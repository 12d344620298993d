// The built window in Chromium against a real agent (harness/real-agent.ts): the keychain of the test
// run's throwaway gnome-keyring, real CreateSession calls to the sandbox on 127.0.0.1, real AWS files in
// a temp home. Every click goes through main's IPC loop down to the files; only the OS file dialog and
// the clipboard are stood in for. After each test, nothing the page was sent may hold a secret.
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PROFILE_NAME } from '../../src/core/rolecall';
import { ERRORS } from '../../src/shared/errors';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from '../helpers/fixture-sandbox';
import { PKI_DIR, pkiPath } from '../helpers/fixtures';
import { contrastOfText, type PageElement, type PageGlobals } from './harness/contrast';
import { installRolecallBridge } from './harness/install-bridge';
import { startRealAgent, type RealAgent } from './harness/real-agent';
import { shoot as shootOnce } from './harness/screenshots';
import { serveRenderer, type ServedRenderer } from './harness/serve-renderer';

const AWS_CONFIG_FIXTURES = fileURLToPath(new URL('../fixtures/aws-config/', import.meta.url));

const INTERMEDIATES = pkiPath('intermediate-ca.cert.pem');
const RSA = { certificate: pkiPath('leaf-rsa2048.cert.pem'), key: pkiPath('leaf-rsa2048.key.pkcs8.pem'), cn: 'leaf-rsa2048' };
const EC = { certificate: pkiPath('leaf-ec-p256.cert.pem'), key: pkiPath('leaf-ec-p256.key.sec1.pem'), cn: 'leaf-ec-p256' };

/** A hand-written credentials file Rolecall must leave as it found it. */
const USERS_CREDENTIALS = [
  '# Keys for the sandbox account. Do not commit.',
  '[default]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '',
  '; written by another tool',
  '[legacy]',
  'aws_access_key_id=AKIAI44QH8DHBEXAMPLE',
  'aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'region = eu-central-1',
  '',
].join('\n');

interface OpenedWindow {
  /** Console errors, warnings and page errors seen so far. */
  readonly problems: string[];
}

let served: ServedRenderer;
base.beforeAll(async () => {
  served = await serveRenderer();
});
base.afterAll(async () => {
  await served.close();
});

const test = base.extend<{ agent: RealAgent }>({
  // Playwright reads the fixtures a fixture needs from this pattern; this one needs none.
  // eslint-disable-next-line no-empty-pattern
  agent: async ({}, use) => {
    const agent = await startRealAgent();
    try {
      await use(agent);
      await expectNoSecretSentToPage(agent);
    } finally {
      await agent.close();
    }
  },
});

async function open(context: BrowserContext, page: Page, agent: RealAgent): Promise<OpenedWindow> {
  await installRolecallBridge(context, agent.call, agent.subscribe);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(served.url);
  return { problems };
}

/** `height` grows the window to show a whole sheet at once. */
const shoot = (page: Page, name: string, height?: number) => shootOnce(page, name, { height });

/** `[name]`'s keys in an AWS INI file (enough for the files Rolecall writes). */
function section(text: string, name: string): Record<string, string> {
  const values: Record<string, string> = {};
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      inside = header[1]?.trim() === name;
      continue;
    }
    const pair = /^\s*([^=#;\s]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (inside && pair?.[1] && pair[2] !== undefined) values[pair[1]] = pair[2];
  }
  return values;
}

/** Every secret access key and session token in these files (those delivered outside the fixture sandbox's view). */
async function secretsIn(files: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const match of text.matchAll(/^\s*aws_(?:secret_access_key|session_token)\s*=\s*(\S+)/gm)) if (match[1]) found.push(match[1]);
  }
  return found;
}

/** The design's promise: the renderer never receives a secret access key or session token. */
async function expectNoSecretSentToPage(agent: RealAgent) {
  const issued = agent.sandbox.allIssuedCredentials().flatMap((credentials) => [credentials.secretAccessKey, credentials.sessionToken]);
  const delivered = await secretsIn([agent.credentialsFile, join(agent.dataDir, 'sandbox', 'credentials')]);
  const sent = JSON.stringify(agent.sentToPage);
  const logs = agent.logger.text();
  for (const secret of new Set([...issued, ...delivered])) {
    expect(sent.includes(secret), 'a secret reached the page').toBe(false);
    expect(logs.includes(secret), 'a secret reached the log').toBe(false);
  }
}

/** The countdown ticks: its text changes within a few seconds. */
async function expectCountdownRunning(countdown: Locator) {
  const before = (await countdown.textContent()) ?? '';
  expect(before).toMatch(/^\d+m \d\ds$/);
  await expect(countdown).not.toHaveText(before, { timeout: 3000 });
}

/** Adds a profile against the fixture sandbox through the agent, as a scene for a test. */
async function addProfile(agent: RealAgent, name: string, overrides: { roleArn?: string; leaf?: typeof RSA } = {}) {
  const leaf = overrides.leaf ?? EC;
  const draft = await agent.run('drafts.open', { certificatePath: leaf.certificate, privateKeyPath: leaf.key, intermediatesPath: INTERMEDIATES });
  return agent.run('profiles.add', {
    name,
    draftId: draft.draftId,
    trustAnchorArn: TRUST_ANCHOR_ARN,
    profileArn: PROFILE_ARN,
    roleArn: overrides.roleArn ?? ROLE_ARN,
    endpoint: agent.sandbox.url,
    durationSeconds: 3600,
  });
}

test('a newcomer starts the local sandbox from the empty state and gets a running session', async ({ agent, context, page }) => {
  const window = await open(context, page, agent);
  await expect(page.getByRole('heading', { name: 'Sign in to AWS with your certificate' })).toBeVisible();
  await shoot(page, 'real-empty');

  await page.getByRole('button', { name: /Try it with a local sandbox/ }).click();
  const row = page.getByRole('listitem', { name: DEMO_PROFILE_NAME });
  await expect(row.getByRole('switch', { name: `Activate ${DEMO_PROFILE_NAME}` })).toHaveAttribute('aria-checked', 'true');
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `Added the demo profile ${DEMO_PROFILE_NAME}` })).toBeVisible();
  await expectCountdownRunning(row.locator('time'));
  await shoot(page, 'real-onboarded');

  // The demo delivers inside Rolecall's data folder, never into the user's own AWS files.
  const demo = section(await readFile(join(agent.dataDir, 'sandbox', 'credentials'), 'utf8'), DEMO_PROFILE_NAME);
  expect(demo.aws_access_key_id).toMatch(/^ASIA/);
  expect(demo.aws_secret_access_key).toBeTruthy();
  expect(existsSync(agent.credentialsFile)).toBe(false);
  expect(window.problems).toEqual([]);
});

test('adding RSA and EC profiles from certificate files shows their principal tags, and both sign in', async ({ agent, context, page }) => {
  const window = await open(context, page, agent);
  for (const [index, { name, leaf }] of [
    { name: 'rsa-dev', leaf: RSA },
    { name: 'ec-dev', leaf: EC },
  ].entries()) {
    agent.setChosenFiles([leaf.certificate, leaf.key, INTERMEDIATES]);
    if (index === 0) await page.getByRole('button', { name: 'Add a profile by hand' }).click();
    else await page.getByRole('button', { name: 'Add profile' }).click();
    const editor = page.getByRole('dialog', { name: 'Add profile' });
    await editor.getByLabel('Name', { exact: true }).fill(name);
    await editor.getByRole('button', { name: 'Choose files…' }).click();
    await expect(editor.getByRole('row', { name: `aws:PrincipalTag/x509Subject/CN ${leaf.cn}` })).toBeVisible();
    await expect(editor.getByRole('row', { name: `aws:PrincipalTag/x509SAN/DNS ${leaf.cn}.rolecall.test` })).toBeVisible();
    await expect(editor.getByRole('row', { name: 'aws:PrincipalTag/x509Issuer/CN Rolecall Test Intermediate CA' })).toBeVisible();
    await expect(editor.getByText('C=US, O=Rolecall Tests, OU=PKI, CN=Rolecall Test Intermediate CA').first()).toBeVisible();
    await editor.getByLabel('Trust anchor ARN').fill(TRUST_ANCHOR_ARN);
    await editor.getByLabel('Profile ARN').fill(PROFILE_ARN);
    await editor.getByLabel('Role ARN').fill(ROLE_ARN);
    await editor.getByText('Advanced', { exact: true }).click();
    // Opened at the foot of the sheet, the section scrolls into view instead of staying under the footer.
    await expect(editor.getByLabel('Endpoint')).toBeInViewport({ ratio: 1 });
    await editor.getByLabel('Endpoint').fill(agent.sandbox.url);
    // The chosen files by name (the whole path on hover), so no test machine's folders show.
    await expect(editor.getByTitle(leaf.certificate)).toHaveText(leaf.certificate.split('/').pop() ?? '');
    expect(await editor.textContent()).not.toContain(PKI_DIR);
    if (index === 0) {
      await editor.locator('.dialog-body').evaluate((body) => body.scrollTo(0, 0));
      await shoot(page, 'real-editor', 1900);
    }
    await editor.getByRole('button', { name: 'Add profile' }).click();
    await expect(editor).toBeHidden();
    await expect(page.getByRole('switch', { name: `Activate ${name}` })).toHaveAttribute('aria-checked', 'false');
  }

  const views = [await agent.run('profiles.get', { name: 'rsa-dev' }), await agent.run('profiles.get', { name: 'ec-dev' })];
  expect(views.map((view) => [view.keyStorage, view.certificate.keyAlgorithm])).toEqual([
    ['keychain', 'RSA-2048'],
    ['keychain', 'EC P-256'],
  ]);
  // Both keys, now only in the keychain, sign a CreateSession the sandbox verifies.
  for (const name of ['rsa-dev', 'ec-dev']) {
    await page.getByRole('switch', { name: `Activate ${name}` }).click();
    await expect(page.getByRole('listitem', { name }).getByText('Active', { exact: true })).toBeVisible();
  }
  expect(agent.sandbox.requests.count('CreateSession', 201)).toBe(2);
  expect(window.problems).toEqual([]);
});

test('discovery with an active profile\'s session fills in the ARNs and endpoint of a new profile that then signs in', async ({ agent, context, page }) => {
  await addProfile(agent, 'alice');
  await agent.run('sessions.activate', { name: 'alice' });
  const window = await open(context, page, agent);

  agent.setChosenFiles([RSA.certificate, RSA.key, INTERMEDIATES]);
  await page.getByRole('button', { name: 'Add profile' }).click();
  const editor = page.getByRole('dialog', { name: 'Add profile' });
  await editor.getByLabel('Name', { exact: true }).fill('bob');
  await editor.getByRole('button', { name: 'Choose files…' }).click();
  await expect(editor.getByLabel('List with')).toHaveValue('alice');
  await expect(editor.getByRole('textbox', { name: 'Region', exact: true })).toHaveValue('us-east-1');
  await editor.getByRole('button', { name: 'List', exact: true }).click();
  await expect(editor.getByRole('status')).toHaveText('Found 1 trust anchor and 1 profile in us-east-1; pick them by name below.');
  await expect(editor.getByLabel('Trust anchor ARN')).toHaveValue(TRUST_ANCHOR_ARN);
  await expect(editor.getByLabel('Profile ARN')).toHaveValue(PROFILE_ARN);
  await expect(editor.getByLabel('Role ARN')).toHaveValue(ROLE_ARN);
  await expect(editor.getByLabel('Endpoint')).toHaveValue(agent.sandbox.url);
  await editor.getByRole('group', { name: 'Find trust anchors and profiles' }).scrollIntoViewIfNeeded();
  await shoot(page, 'real-discovery');
  // The sandbox answers the lists only when they are signed with a session it issued.
  const lists = agent.sandbox.requests.entries.filter((entry) => entry.operation === 'ListTrustAnchors' || entry.operation === 'ListProfiles');
  expect(lists.map((entry) => [entry.operation, entry.status])).toEqual([
    ['ListTrustAnchors', 200],
    ['ListProfiles', 200],
  ]);

  await editor.getByRole('button', { name: 'Add profile' }).click();
  await expect(editor).toBeHidden();
  await page.getByRole('switch', { name: 'Activate bob' }).click();
  await expect(page.getByRole('listitem', { name: 'bob' }).getByText('Active', { exact: true })).toBeVisible();
  expect(section(await readFile(agent.credentialsFile, 'utf8'), 'bob').aws_access_key_id).toMatch(/^ASIA/);
  expect(window.problems).toEqual([]);
});

test('switching a profile on writes the sandbox\'s session to the credentials file, and off restores the file byte for byte', async ({ agent, context, page }) => {
  await writeFile(agent.credentialsFile, USERS_CREDENTIALS, { mode: 0o600 });
  await addProfile(agent, 'dev');
  const window = await open(context, page, agent);
  const row = page.getByRole('listitem', { name: 'dev' });
  const toggle = row.getByRole('switch', { name: 'Activate dev' });

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  const text = await readFile(agent.credentialsFile, 'utf8');
  const written = section(text, 'dev');
  const issued = agent.sandbox.issuedCredentials(written.aws_access_key_id ?? '');
  expect(issued).toBeDefined();
  expect(written).toMatchObject({ aws_secret_access_key: issued?.secretAccessKey, aws_session_token: issued?.sessionToken });
  expect(section(text, 'legacy')).toEqual(section(USERS_CREDENTIALS, 'legacy'));
  await expectCountdownRunning(row.locator('time'));
  await shoot(page, 'real-active');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(row.getByText('Off', { exact: true })).toBeVisible();
  expect(await readFile(agent.credentialsFile, 'utf8')).toBe(USERS_CREDENTIALS);
  expect(window.problems).toEqual([]);
});

test('refreshing writes a new session, copying puts its exports on the clipboard, and the page never receives a secret', async ({ agent, context, page }) => {
  await addProfile(agent, 'dev');
  await agent.run('sessions.activate', { name: 'dev' });
  const window = await open(context, page, agent);
  const row = page.getByRole('listitem', { name: 'dev' });
  const before = section(await readFile(agent.credentialsFile, 'utf8'), 'dev');

  await row.getByRole('button', { name: 'Refresh dev now' }).click();
  await expect.poll(async () => section(await readFile(agent.credentialsFile, 'utf8'), 'dev').aws_access_key_id).not.toBe(before.aws_access_key_id);
  const after = section(await readFile(agent.credentialsFile, 'utf8'), 'dev');
  const issued = agent.sandbox.issuedCredentials(after.aws_access_key_id ?? '');
  expect(after).toMatchObject({ aws_secret_access_key: issued?.secretAccessKey, aws_session_token: issued?.sessionToken });
  expect(agent.sandbox.requests.count('CreateSession', 201)).toBe(2);

  await row.getByRole('button', { name: 'Copy bash environment exports for dev' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied bash exports for dev' })).toBeVisible();
  const script = agent.clipboard.readText();
  expect(script).toContain(`\nexport AWS_ACCESS_KEY_ID='${after.aws_access_key_id}'\n`);
  expect(script).toContain(`\nexport AWS_SECRET_ACCESS_KEY='${after.aws_secret_access_key}'\n`);
  expect(script).toContain(`\nexport AWS_SESSION_TOKEN='${after.aws_session_token}'\n`);
  await shoot(page, 'real-copied');

  const operations = agent.sentToPage.flatMap((message) => (message.kind === 'result' ? [message.operation] : []));
  expect(operations).toEqual(expect.arrayContaining(['state.get', 'sessions.refresh', 'env.copy']));
  await expectNoSecretSentToPage(agent);
  expect(await page.content()).not.toContain(after.aws_secret_access_key);
  expect(window.problems).toEqual([]);
});

test('a certificate Roles Anywhere would refuse shows what is wrong and what to do', async ({ agent, context, page }) => {
  const window = await open(context, page, agent);
  await page.getByRole('button', { name: 'Add a profile by hand' }).click();
  const editor = page.getByRole('dialog', { name: 'Add profile' });

  agent.setChosenFiles([pkiPath('is-ca.cert.pem'), pkiPath('is-ca.key.pkcs8.pem'), INTERMEDIATES]);
  await editor.getByRole('button', { name: 'Choose files…' }).click();
  const problems = editor.getByRole('list', { name: 'Problems' });
  await expect(problems).toContainText(ERRORS.CERT_IS_CA.message);
  await expect(problems).toContainText(ERRORS.CERT_IS_CA.next);

  agent.setChosenFiles([pkiPath('expired.cert.pem'), pkiPath('expired.key.pkcs8.pem'), INTERMEDIATES]);
  await editor.getByRole('button', { name: 'Choose another…' }).click();
  await expect(problems).toContainText(ERRORS.CERT_EXPIRED.message);
  await expect(problems).toContainText(ERRORS.CERT_EXPIRED.next);
  await expect(problems).not.toContainText(ERRORS.CERT_IS_CA.message);

  await editor.getByLabel('Name', { exact: true }).fill('old-laptop');
  await editor.getByLabel('Trust anchor ARN').fill(TRUST_ANCHOR_ARN);
  await editor.getByLabel('Profile ARN').fill(PROFILE_ARN);
  await editor.getByLabel('Role ARN').fill(ROLE_ARN);
  // The expiry reads as a date, not as the ISO timestamp the agent's detail carries.
  await expect(problems).toContainText(/Expired .*2021/);
  await expect(problems).not.toContainText(/\d{4}-\d{2}-\d{2}T/);

  // While the sheet lists what Roles Anywhere would refuse, Add waits for another certificate, and says so.
  const add = editor.getByRole('button', { name: 'Add profile' });
  await expect(add).toBeDisabled();
  await expect(add).toHaveAccessibleDescription('Fix what is marked above first.');
  await expect(editor.getByText(ERRORS.CERT_EXPIRED.message)).toHaveCount(1);
  await expect(editor.getByRole('alert')).toHaveCount(0);
  expect(await editor.textContent()).not.toContain(PKI_DIR);
  // The certificate's expiry in the window's one wording.
  await expect(editor.getByText(/\(expired \d+ years ago\)$/)).toBeVisible();
  await problems.scrollIntoViewIfNeeded();
  await shoot(page, 'real-bad-certificate');
  expect((await agent.run('state.get', {})).profiles).toEqual([]);
  expect(window.problems).toEqual([]);
});

test('a CreateSession the service rejects shows its next step on the banner and the row', async ({ agent, context, page }) => {
  await addProfile(agent, 'wrong-role', { roleArn: 'arn:aws:iam::123456789012:role/NotInTheProfile' });
  await addProfile(agent, 'busy');
  const window = await open(context, page, agent);

  await page.getByRole('switch', { name: 'Activate wrong-role' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'wrong-role' });
  await expect(banner).toContainText(`wrong-role: ${ERRORS.ROLE_MISSING.message}`);
  await expect(banner).toContainText(ERRORS.ROLE_MISSING.next);
  const row = page.getByRole('listitem', { name: 'wrong-role' });
  await expect(row.getByText('Failed', { exact: true })).toBeVisible();
  await expect(row).toContainText(ERRORS.ROLE_MISSING.message);

  agent.sandbox.switches.throttleNext = 1000;
  await page.getByRole('switch', { name: 'Activate busy' }).click();
  const throttled = page.getByRole('alert').filter({ hasText: 'busy' });
  await expect(throttled).toContainText(`busy: ${ERRORS.THROTTLED.message}`);
  // The shared next step names a CLI command; the window says what it does itself.
  await expect(throttled).toContainText('Wait a moment: Rolecall tries again by itself');
  await shoot(page, 'real-rejected');
  expect(agent.sandbox.requests.count('CreateSession', 201)).toBe(0);
  expect(existsSync(agent.credentialsFile)).toBe(false);
  expect(window.problems).toEqual([]);
});

test('importing from ~/.aws/config previews the aws_signing_helper lines, then takes them over', async ({ agent, context, page }) => {
  const config = (await readFile(join(AWS_CONFIG_FIXTURES, 'several-profiles.config'), 'utf8')).replaceAll('{{PKI}}', PKI_DIR);
  await writeFile(agent.configFile, config, { mode: 0o600 });
  const window = await open(context, page, agent);

  await page.getByRole('button', { name: /Import from ~\/.aws\/config/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Import from AWS config' });
  await expect(dialog.getByRole('checkbox', { name: /^dev/ })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /^prod-readonly/ })).toBeChecked();
  await expect(dialog.getByTitle(`${PKI_DIR}/leaf-ec-p256.cert.pem`).first()).toHaveText('leaf-ec-p256.cert.pem');
  await dialog.getByText(`Changes to ${agent.configFile}`).click();
  await expect(dialog.getByText('+credential_process = ').first()).toBeVisible();
  await shoot(page, 'real-import', 1100);

  await dialog.getByRole('checkbox', { name: /^ci/ }).uncheck();
  await dialog.getByRole('button', { name: 'Import 2 profiles' }).click();
  await expect(dialog.getByText('Imported dev, prod-readonly.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('switch', { name: 'Activate dev' })).toBeVisible();
  await expect(page.getByRole('switch', { name: 'Activate prod-readonly' })).toBeVisible();

  const after = await readFile(agent.configFile, 'utf8');
  expect(section(after, 'profile dev').credential_process).toMatch(/rolecall\.mjs.* credential-process --profile dev$/);
  expect(section(after, 'profile ci')).toEqual(section(config, 'profile ci'));
  expect(after.startsWith('# Roles Anywhere profiles set up by the platform team')).toBe(true);
  expect(window.problems).toEqual([]);
});

test('in light and dark mode every piece of text in the list keeps readable contrast', async ({ agent, context, page }) => {
  await addProfile(agent, 'prod');
  await addProfile(agent, 'staging', { leaf: RSA });
  await agent.run('sessions.activate', { name: 'prod' });
  const window = await open(context, page, agent);
  await expect(page.getByRole('listitem', { name: 'prod' }).getByText('Active', { exact: true })).toBeVisible();

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (colorScheme === 'dark') await shoot(page, 'real-list-dark');
    // The list's own background: near black in dark mode, near white in light.
    const [background] = await page.locator('[role="list"]').evaluateAll((lists: PageElement[]) => {
      const styleOf = (globalThis as unknown as PageGlobals).getComputedStyle;
      for (let node: PageElement | null = lists[0] ?? null; node; node = node.parentElement) {
        const [r = 0, g = 0, b = 0, alpha = 1] = (styleOf(node).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
        if (alpha >= 1) return [(r + g + b) / 3 / 255];
      }
      return [1];
    });
    if (colorScheme === 'dark') expect(background).toBeLessThan(0.2);
    else expect(background).toBeGreaterThan(0.9);
    const pieces = await page.locator('.toolbar, .list-header, [role="listitem"]').evaluateAll(contrastOfText);
    expect(pieces.length).toBeGreaterThan(20);
    for (const { text, ratio } of pieces) expect(ratio, `${colorScheme}: contrast of "${text}"`).toBeGreaterThanOrEqual(4.5);
  }
  expect(window.problems).toEqual([]);
});

test('"Why?" on a failed profile shows the check that refused it and what stays unknown, in the window\'s words', async ({ agent, context, page }) => {
  const draft = await agent.run('drafts.open', { certificatePath: EC.certificate, privateKeyPath: EC.key, intermediatesPath: INTERMEDIATES });
  await agent.run('profiles.add', { name: 'elsewhere', draftId: draft.draftId, trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, endpoint: agent.sandbox.url, signingRegion: 'eu-west-1' });
  await agent.run('sessions.activate', { name: 'elsewhere' }).catch(() => undefined);
  const window = await open(context, page, agent);

  const row = page.getByRole('listitem', { name: 'elsewhere' });
  await expect(row.getByText('Failed', { exact: true })).toBeVisible();
  await row.getByRole('button', { name: 'More actions for elsewhere' }).click();
  await page.getByRole('menuitem', { name: 'Why?' }).click();
  const dialog = page.getByRole('dialog', { name: 'Why elsewhere fails' });
  await expect(dialog).toContainText('The request is signed for eu-west-1, but the trust anchor');
  await expect(dialog).toContainText(ERRORS.SIGNING_REGION_MISMATCH.next);
  // Without AWS credentials the window says which permission would let Rolecall look.
  await expect(dialog).toContainText('rolesanywhere:GetTrustAnchor would let Rolecall look');
  // Terminal commands and flags stay in the terminal ("Rolecall" the app may be named).
  await expect(dialog).not.toContainText(/\brolecall [a-z]|(^|\s)--[a-z]/);
  await shoot(page, 'real-why');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();
  expect(window.problems).toEqual([]);
});

test('a rename and an edit are saved as one change: a taken name leaves the profile neither renamed nor edited', async ({ agent, context, page }) => {
  await addProfile(agent, 'dev');
  await addProfile(agent, 'prod');
  const awsFiles = async () => Promise.all([agent.credentialsFile, agent.configFile].map((file) => readFile(file, 'utf8').catch(() => '')));
  const filesBefore = await awsFiles();
  const saved = async () => (await agent.run('state.get', {})).profiles.map((profile) => [profile.name, profile.durationSeconds]);
  const window = await open(context, page, agent);

  await page.getByRole('button', { name: 'More actions for dev' }).click();
  await page.getByRole('menuitem', { name: 'Edit…' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit dev' });
  await editor.getByLabel('Name', { exact: true }).fill('prod');
  await editor.getByLabel('Duration (seconds)').fill('7200');
  await editor.getByRole('button', { name: 'Save' }).click();
  const banner = editor.getByRole('alert');
  await expect(banner).toContainText(ERRORS.PROFILE_EXISTS.message);
  await expect(banner).toContainText(ERRORS.PROFILE_EXISTS.next);
  expect(await saved()).toEqual([
    ['dev', 3600],
    ['prod', 3600],
  ]);
  expect(await awsFiles()).toEqual(filesBefore);
  await expect(page.getByRole('listitem', { name: 'dev', exact: true })).toBeVisible();

  // A free name saves both changes, again in one call.
  await editor.getByLabel('Name', { exact: true }).fill('dev-2');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Saved dev-2.' })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'dev', exact: true })).toHaveCount(0);
  await expect(page.getByRole('listitem', { name: 'dev-2', exact: true })).toBeVisible();
  expect(await saved()).toEqual([
    ['dev-2', 7200],
    ['prod', 3600],
  ]);
  const saves = agent.sentToPage.flatMap((message) => (message.kind === 'result' && message.operation.startsWith('profiles.') ? [message.operation] : []));
  expect(saves).toEqual(['profiles.edit', 'profiles.edit']);
  expect(window.problems).toEqual([]);
});
