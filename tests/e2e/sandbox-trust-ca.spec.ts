// "Trust a CA of mine…" in the settings' Local sandbox section, against a real agent (harness/real-agent.ts)
// whose host runs the demo sandbox in its temp data folder: a CA made with openssl as the Roles Anywhere
// tutorials make one becomes a trust anchor, "Add a profile for it" opens the editor with the sandbox's
// endpoint and ARNs, and a certificate of that CA then gets a session. Only the file dialog is stood in for.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERRORS } from '../../src/shared/errors';
import { issueOpensslLeaf, makeOpensslCa, type OpensslCa } from '../sandbox/openssl-ca';
import { contrastOfText } from './harness/contrast';
import { installRolecallBridge } from './harness/install-bridge';
import { startRealAgent, type RealAgent } from './harness/real-agent';
import { shoot } from './harness/screenshots';
import { serveRenderer, type ServedRenderer } from './harness/serve-renderer';

let served: ServedRenderer;
base.beforeAll(async () => {
  served = await serveRenderer();
});
base.afterAll(async () => {
  await served.close();
});

const test = base.extend<{ agent: RealAgent; ca: OpensslCa }>({
  // eslint-disable-next-line no-empty-pattern
  agent: async ({}, use) => {
    const agent = await startRealAgent();
    try {
      await use(agent);
    } finally {
      await agent.close();
    }
  },
  ca: async ({ agent }, use) => {
    await use(await makeOpensslCa(await mkdtemp(join(agent.home, 'ca-')), 'Team Root CA'));
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

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  return page.getByRole('dialog', { name: 'Settings' });
}

test('a CA of mine trusted from the settings becomes a trust anchor, and a profile for its certificate signs in', async ({ agent, ca, context, page }) => {
  const problems = await open(context, page, agent);
  const settings = await openSettings(page);
  const section = settings.getByRole('region', { name: 'Local sandbox' });

  agent.setChosenFiles([ca.certificatePath]);
  await section.getByRole('button', { name: 'Trust a CA of mine…' }).click();
  const result = section.getByRole('status', { name: 'Trusted Team Root CA' });
  await expect(result.getByText('Trusted as a new trust anchor')).toBeVisible();
  await expect(result.getByText('C=US, O=Example Corp, CN=Team Root CA')).toBeVisible();
  const arn = (await result.getByText(/^arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor\//).textContent()) ?? '';
  const endpoint = (await result.getByText(/^http:\/\/127\.0\.0\.1:\d+$/).textContent()) ?? '';

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await shoot(page, `sandbox-trust-ca-${colorScheme}`);
    const pieces = await section.evaluateAll(contrastOfText);
    expect(pieces.length).toBeGreaterThan(8);
    for (const { text, ratio } of pieces) expect(ratio, `${colorScheme}: contrast of "${text}"`).toBeGreaterThanOrEqual(4.5);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The same CA again: the same trust anchor, said so.
  await section.getByRole('button', { name: 'Trust a CA of mine…' }).click();
  await expect(result.getByText('Already trusted')).toBeVisible();
  await expect(result.getByText(arn)).toBeVisible();

  const leaf = await issueOpensslLeaf(ca, 'alice', '/C=US/O=Example Corp/OU=devops/CN=alice');
  await result.getByRole('button', { name: 'Add a profile for it' }).click();
  await expect(settings).toBeHidden();
  const editor = page.getByRole('dialog', { name: 'Add profile' });
  await expect(editor.getByLabel('Trust anchor ARN')).toHaveValue(arn);
  await expect(editor.getByLabel('Profile ARN')).toHaveValue(/:profile\//);
  await expect(editor.getByLabel('Role ARN')).toHaveValue('arn:aws:iam::123456789012:role/RolecallDemo');
  await expect(editor.getByLabel('Endpoint')).toHaveValue(endpoint);
  await editor.getByLabel('Name', { exact: true }).fill('my-ca');
  agent.setChosenFiles([leaf.certificatePath, leaf.keyPath]);
  await editor.getByRole('button', { name: 'Choose files…' }).click();
  await expect(editor.getByRole('row', { name: 'aws:PrincipalTag/x509Subject/CN alice' })).toBeVisible();
  await editor.getByRole('button', { name: 'Add profile' }).click();
  await expect(editor).toBeHidden();

  await page.getByRole('switch', { name: 'Activate my-ca' }).click();
  await expect(page.getByRole('listitem', { name: 'my-ca' }).getByText('Active', { exact: true })).toBeVisible();
  expect(await readFile(agent.credentialsFile, 'utf8')).toMatch(/^\[my-ca\]\naws_access_key_id = ASIA/m);
  // The window was never sent the CA file's path (the dialog stays in main), nor a session's secrets.
  const sent = JSON.stringify(agent.sentToPage);
  const secrets = [...(await readFile(agent.credentialsFile, 'utf8')).matchAll(/^aws_(?:secret_access_key|session_token) = (\S+)$/gm)].map((match) => match[1] ?? '');
  expect(secrets).toHaveLength(2);
  for (const secret of [...secrets, ca.certificatePath]) expect(sent).not.toContain(secret);
  expect(problems).toEqual([]);
});

test('a file that is not a CA certificate is refused in the settings with what to choose instead', async ({ agent, ca, context, page }) => {
  const problems = await open(context, page, agent);
  const leaf = await issueOpensslLeaf(ca, 'bob', '/C=US/O=Example Corp/OU=devops/CN=bob');
  const settings = await openSettings(page);
  agent.setChosenFiles([leaf.certificatePath]);
  await settings.getByRole('button', { name: 'Trust a CA of mine…' }).click();
  const alert = settings.getByRole('alert');
  await expect(alert).toContainText(ERRORS.TRUST_CA_INVALID.message);
  await expect(alert).toContainText('CN=bob is not a CA certificate');
  await expect(alert).toContainText(ERRORS.TRUST_CA_INVALID.next);
  await expect(settings.getByRole('status')).toHaveCount(0);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'sandbox-trust-ca-refused-dark');

  // Cancelling the dialog changes nothing.
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  agent.setChosenFiles([]);
  await settings.getByRole('button', { name: 'Trust a CA of mine…' }).click();
  await expect(settings.getByRole('button', { name: 'Trust a CA of mine…' })).not.toHaveAttribute('aria-busy');
  await expect(settings.getByRole('alert')).toHaveCount(0);
  await expect(settings.getByRole('status')).toHaveCount(0);
  expect(problems).toEqual([]);
});
