// A profile whose key is on a hardware token, added in the window against a real agent (harness/real-agent.ts)
// and a real PKCS#11 token: Debian's SoftHSM2 with its tokens in a temp folder (SOFTHSM2_CONF is set in this
// process, where the agent runs). The editor lists the token's certificate through the module, the PIN is
// typed in the token PIN prompt (a wrong one first: one try, one clear error), and the profile then gets a
// session from the sandbox. A profile whose PIN the token stops taking (its PIN changed under the agent) waits
// for "Enter token PIN…" in its row menu and is Active again with the new PIN. Also: the renewal setting
// saves through the agent.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultModulePath } from '../../src/core/pkcs11';
import { ERRORS } from '../../src/shared/errors';
import { PROFILE_ARN, ROLE_ARN, TRUST_ANCHOR_ARN } from '../helpers/fixture-sandbox';
import { readPki } from '../helpers/fixtures';
import { createSoftHsm, SOFTHSM_MODULE, USER_PIN, type SoftHsm } from '../helpers/softhsm';
import { installRolecallBridge } from './harness/install-bridge';
import { startRealAgent, type RealAgent } from './harness/real-agent';
import { shoot } from './harness/screenshots';
import { serveRenderer, type ServedRenderer } from './harness/serve-renderer';

// Letters, so no ARN or serial number can contain it by chance.
const WRONG_PIN = 'not-the-pin';
const NEW_PIN = 'new-card-pin';

let served: ServedRenderer;
let hsm: SoftHsm;
const previousConf = process.env.SOFTHSM2_CONF;

base.beforeAll(async () => {
  served = await serveRenderer();
  hsm = await createSoftHsm();
  process.env.SOFTHSM2_CONF = hsm.conf;
  hsm.initToken('desk');
  const certificate = await hsm.issueCertificate(await hsm.generateKey('desk', 'EC:prime256v1', '01', 'laptop key'), 'token-e2e');
  await hsm.writeCertificate('desk', certificate, '01', 'laptop key');
  await hsm.writeCertificate('desk', readPki('intermediate-ca.cert.pem'), '10', 'intermediate');
});
base.afterAll(async () => {
  await served.close();
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  await hsm.remove();
});

/** What a user does with their card's own tool: the token's user PIN changes. */
function changeUserPin(token: string, from: string, to: string): void {
  execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', token, '--login', '--pin', from, '--change-pin', '--new-pin', to], { env: { ...process.env, SOFTHSM2_CONF: hsm.conf }, stdio: 'ignore' });
}

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

test('a token\'s certificate is listed, the profile is added with its PIN (a wrong one first) and signs in', async ({ agent, context, page }) => {
  const problems = await open(context, page, agent);
  await page.getByRole('button', { name: 'Add a profile by hand' }).click();
  const editor = page.getByRole('dialog', { name: 'Add profile' });
  await editor.getByLabel('Name', { exact: true }).fill('desk-token');
  await editor.getByRole('radio', { name: /Hardware token/ }).check();
  // Prefilled with the module the core uses when none is given.
  const module = editor.getByRole('textbox', { name: 'PKCS#11 module' });
  await expect(module).toHaveValue(defaultModulePath());
  // A module that is not there is said in the section, with what to check.
  await module.fill('/nonexistent/libvendor-pkcs11.so');
  await editor.getByRole('button', { name: 'Look for tokens' }).click();
  await expect(editor.getByRole('alert')).toContainText(ERRORS.PKCS11_MODULE_UNLOADABLE.message);
  await module.fill(SOFTHSM_MODULE);
  await editor.getByRole('button', { name: 'Look for tokens' }).click();
  await expect(editor.getByRole('alert')).toHaveCount(0);
  const listed = editor.getByRole('radio', { name: /laptop key · desk/ });
  await expect(listed).toBeVisible();
  await expect(editor.getByText('O=Rolecall Tests, OU=devops, CN=token-e2e')).toBeVisible();
  // The intermediate on the token is the chain, not a certificate to pick.
  await expect(editor.getByRole('radio', { name: /intermediate/ })).toHaveCount(0);
  await listed.check();
  await editor.getByLabel('Trust anchor ARN').fill(TRUST_ANCHOR_ARN);
  await editor.getByLabel('Profile ARN').fill(PROFILE_ARN);
  await editor.getByLabel('Role ARN').fill(ROLE_ARN);
  await editor.getByText('Advanced', { exact: true }).click();
  await editor.getByLabel('Endpoint').fill(agent.sandbox.url);
  await editor.locator('.dialog-body').evaluate((body) => body.scrollTo(0, 0));
  await shoot(page, 'token-editor', { height: 1500 });

  await editor.getByRole('button', { name: 'Add profile' }).click();
  const prompt = page.getByRole('dialog', { name: 'Token PIN' });
  await expect(prompt).toBeVisible();
  // Escape leaves the PIN prompt, not the sheet under it.
  await page.keyboard.press('Escape');
  await expect(prompt).toBeHidden();
  await expect(editor).toBeVisible();
  await editor.getByRole('button', { name: 'Add profile' }).click();
  await expect(prompt).toBeVisible();
  await prompt.getByLabel('Token PIN').fill(WRONG_PIN);
  await prompt.getByRole('button', { name: 'Unlock and add' }).click();
  // One try, one error under the field, and the prompt waits for the user.
  await expect(prompt.getByText(ERRORS.PKCS11_PIN_WRONG.message)).toHaveCount(1);
  // SoftHSM2 reports few tries left once it has refused a PIN; the window passes that on.
  await expect(prompt.getByText('The token refused the PIN. The token says few tries are left. Type it again: Rolecall never tries a PIN twice on its own.')).toBeVisible();
  await expect(prompt.getByLabel('Token PIN')).toHaveValue('');
  expect(await agent.run('state.get', {}).then((state) => state.profiles.map((profile) => profile.name))).toEqual([]);
  await shoot(page, 'token-pin-refused');
  await prompt.getByLabel('Token PIN').fill(USER_PIN);
  await prompt.getByRole('button', { name: 'Unlock and add' }).click();
  await expect(prompt).toBeHidden();
  await expect(editor).toBeHidden();

  const view = await agent.run('profiles.get', { name: 'desk-token' });
  expect(view.keyStorage).toBe('token');
  expect(view.token).toEqual({ uri: expect.stringMatching(/^pkcs11:token=desk;serial=\w+;object=laptop%20key;id=%01;type=cert$/), module: SOFTHSM_MODULE, pinInKeychain: false });
  expect(view.chain.map((certificate) => certificate.subject)).toEqual([expect.stringContaining('Intermediate')]);
  // The PIN given while adding is the agent's for this run: activation asks for nothing.
  await page.getByRole('switch', { name: 'Activate desk-token' }).click();
  await expect(page.getByRole('listitem', { name: 'desk-token' }).getByText('Active', { exact: true })).toBeVisible();
  expect(agent.sandbox.requests.count('CreateSession', 201)).toBe(1);
  await shoot(page, 'token-active');
  // Editing it says where the key is, and offers no key source to switch to.
  await page.getByRole('button', { name: 'More actions for desk-token' }).click();
  await page.getByRole('menuitem', { name: 'Edit…' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit desk-token' });
  await expect(edit.getByText(`Private key: on the hardware token (${view.token?.uri ?? ''}); it never leaves it.`)).toBeVisible();
  await expect(edit.getByRole('radio', { name: /Hardware token/ })).toHaveCount(0);
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // The PIN went from the page to the agent only: no answer, event or log line carries it back.
  const sent = JSON.stringify(agent.sentToPage);
  for (const pin of [USER_PIN, WRONG_PIN]) {
    expect(sent.includes(pin)).toBe(false);
    expect(agent.logger.text().includes(pin)).toBe(false);
  }
  expect(problems).toEqual([]);
});

test('a profile whose PIN the token no longer takes waits for "Enter token PIN…" and is Active again with the new one', async ({ agent, context, page }) => {
  // A token of its own: its PIN changes here.
  hsm.initToken('pocket');
  const certificate = await hsm.issueCertificate(await hsm.generateKey('pocket', 'EC:prime256v1', '01', 'pocket key'), 'token-pin-later');
  await hsm.writeCertificate('pocket', certificate, '01', 'pocket key');
  await hsm.writeCertificate('pocket', readPki('intermediate-ca.cert.pem'), '10', 'intermediate');
  await agent.run('profiles.addFromToken', {
    name: 'pocket-token', certificateUri: 'pkcs11:token=pocket;object=pocket%20key', modulePath: SOFTHSM_MODULE, pin: USER_PIN,
    trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, endpoint: agent.sandbox.url,
  });
  expect((await agent.run('profiles.get', { name: 'pocket-token' })).token?.pinInKeychain).toBe(false);
  await agent.run('sessions.activate', { name: 'pocket-token' });
  // The user changes the card's PIN with its own tool: the PIN this agent holds in memory no longer works.
  changeUserPin('pocket', USER_PIN, NEW_PIN);
  const problems = await open(context, page, agent);
  const row = page.getByRole('listitem', { name: 'pocket-token' });
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  const actions = page.getByRole('button', { name: 'More actions for pocket-token' });
  await actions.click();
  await expect(page.getByRole('menuitem', { name: 'Enter token PIN…' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Refresh pocket-token now' }).click();
  await expect.poll(async () => (await agent.run('profiles.get', { name: 'pocket-token' })).lastError?.code).toBe('PKCS11_PIN_WRONG');
  await actions.click();
  await page.getByRole('menuitem', { name: 'Enter token PIN…' }).click();
  const prompt = page.getByRole('dialog', { name: 'PIN for pocket-token' });
  await expect(prompt).toContainText('The token refused the PIN it had.');
  // A wrong PIN here is tried once: the problem is shown and the prompt stays for another try.
  await prompt.getByLabel('Token PIN').fill(WRONG_PIN);
  await prompt.getByRole('button', { name: 'Unlock and refresh' }).click();
  await expect(page.getByText(ERRORS.PKCS11_PIN_WRONG.message).first()).toBeVisible();
  await expect(page.getByText('token "pocket"; the token says few tries are left', { exact: false }).first()).toBeVisible();
  await expect(prompt).toBeVisible();
  await expect(prompt.getByLabel('Token PIN')).toHaveValue('');
  await shoot(page, 'token-pin-row-refused');
  await prompt.getByLabel('Token PIN').fill(NEW_PIN);
  await prompt.getByRole('button', { name: 'Unlock and refresh' }).click();
  await expect(prompt).toBeHidden();
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  expect((await agent.run('profiles.get', { name: 'pocket-token' })).lastError).toBeUndefined();
  // The activation, then the refresh with the new PIN: the refused tries never reached Roles Anywhere.
  expect(agent.sandbox.requests.count('CreateSession', 201)).toBe(2);
  const sent = JSON.stringify(agent.sentToPage);
  for (const pin of [USER_PIN, NEW_PIN, WRONG_PIN]) {
    expect(sent.includes(pin)).toBe(false);
    expect(agent.logger.text().includes(pin)).toBe(false);
  }
  expect(problems).toEqual([]);
});

test('"Keep the PIN in the OS keychain" adds a profile whose PIN the agent keeps', async ({ agent, context, page }) => {
  const problems = await open(context, page, agent);
  await page.getByRole('button', { name: 'Add a profile by hand' }).click();
  const editor = page.getByRole('dialog', { name: 'Add profile' });
  await editor.getByLabel('Name', { exact: true }).fill('kept-pin');
  await editor.getByRole('radio', { name: /Hardware token/ }).check();
  await editor.getByRole('textbox', { name: 'PKCS#11 module' }).fill(SOFTHSM_MODULE);
  await editor.getByRole('button', { name: 'Look for tokens' }).click();
  await editor.getByRole('radio', { name: /laptop key · desk/ }).check();
  await editor.getByRole('checkbox', { name: /Keep the PIN in the OS keychain/ }).check();
  await editor.getByLabel('Trust anchor ARN').fill(TRUST_ANCHOR_ARN);
  await editor.getByLabel('Profile ARN').fill(PROFILE_ARN);
  await editor.getByLabel('Role ARN').fill(ROLE_ARN);
  await editor.getByText('Advanced', { exact: true }).click();
  await editor.getByLabel('Endpoint').fill(agent.sandbox.url);
  await editor.getByRole('button', { name: 'Add profile' }).click();
  const prompt = page.getByRole('dialog', { name: 'Token PIN' });
  await expect(prompt).toContainText('Rolecall keeps it in the OS keychain.');
  await prompt.getByLabel('Token PIN').fill(USER_PIN);
  await prompt.getByRole('button', { name: 'Unlock and add' }).click();
  await expect(editor).toBeHidden();
  expect((await agent.run('profiles.get', { name: 'kept-pin' })).token?.pinInKeychain).toBe(true);
  expect(problems).toEqual([]);
});

test('the renewal setting saves in the agent: off (a new key) by default', async ({ agent, context, page }) => {
  const problems = await open(context, page, agent);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const renewal = dialog.getByRole('switch', { name: /Renew Rolecall-CA certificates with the same key/ });
  await expect(renewal).not.toBeChecked();
  await expect(dialog.getByText('Off: each renewal makes a new key inside the keychain.', { exact: false })).toBeVisible();
  await renewal.check();
  await expect.poll(async () => (await agent.run('settings.get', {})).renewWithSameKey).toBe(true);
  expect(JSON.parse(await readFile(join(agent.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ renewWithSameKey: true });
  await shoot(page, 'settings-renewal');
  await renewal.uncheck();
  await expect.poll(async () => (await agent.run('settings.get', {})).renewWithSameKey).toBe(false);
  expect(problems).toEqual([]);
});
