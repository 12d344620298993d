// The renderer in Chromium with a bridge backed by in-test handlers: the screens render, react to
// events and calls, and stay free of console errors and CSP violations. Screenshots of each screen in
// light and dark land in test-results/screenshots/ for a look by eye (harness/screenshots.ts).
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { clippedTextIn } from './harness/clipping';
import { contrastOfText } from './harness/contrast';
import { installRolecallBridge } from './harness/install-bridge';
import { serveRenderer, type ServedRenderer } from './harness/serve-renderer';
import { activeProfile, fakeCertificate, fakeDraft, fakeProfile, fakeState, handlerBridge, PROFILE_ARN, ROLE_ARN, SETTINGS, TRUST_ANCHOR_ARN, type Handler } from './harness/fake-views';
import { shoot as shootOnce } from './harness/screenshots';
import { operationsExposedTo } from '../../src/shared/contract';
import type { ImportPlan, ProfileView } from '../../src/shared/model';

let served: ServedRenderer;
test.beforeAll(async () => {
  served = await serveRenderer();
});
test.afterAll(async () => {
  await served.close();
});

/** Opens the window with these handlers; returns the console errors seen so far (checked after each test). */
async function open(context: BrowserContext, page: Page, handlers: Record<string, Handler>) {
  const bridge = handlerBridge(handlers);
  const installed = await installRolecallBridge(context, bridge.call, bridge.subscribe);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(served.url);
  return { ...bridge, installed, problems };
}

/** Light and dark; `height` grows the window to show a whole sheet at once. */
const shoot = (page: Page, name: string, height?: number) => shootOnce(page, name, { height, bothSchemes: true });

const DAY_MS = 86_400_000;
/** The fake certificate, ending `days` (and a little) from now. */
const endingIn = (days: number) => fakeCertificate({ notAfter: new Date(Date.now() + days * DAY_MS + 3_600_000).toISOString() });

test('a newcomer sees the two ways in, and the sandbox adds a demo profile to the list', async ({ context, page }) => {
  const demo = fakeProfile('rolecall-demo', { endpoint: 'http://127.0.0.1:40123', deliveredTo: '/home/alice/.config/Rolecall/demo/credentials' });
  let profiles: ProfileView[] = [];
  const window = await open(context, page, {
    'state.get': () => fakeState(profiles),
    'sandbox.startDemo': () => {
      profiles = [demo];
      window.emit('profile.changed', demo);
      return demo;
    },
    'sessions.activate': () => activeProfile('rolecall-demo', 3599, { endpoint: demo.endpoint }),
  });

  await expect(page.getByRole('heading', { name: 'Sign in to AWS with your certificate' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Import from ~\/.aws\/config/ })).toBeVisible();
  await shoot(page, 'empty');

  await page.getByRole('button', { name: /Try it with a local sandbox/ }).click();
  const toggle = page.getByRole('switch', { name: 'Activate rolecall-demo' });
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByRole('status').filter({ hasText: 'Added the demo profile rolecall-demo' })).toBeVisible();

  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(toggle).toBeFocused();
  await expect(page.getByRole('listitem', { name: 'rolecall-demo' }).locator('time')).toHaveText(/^(59m|1h 00m)/);
  expect(window.calls.map((call) => call.operation)).toEqual(['state.get', 'sandbox.startDemo', 'sessions.activate']);
  expect(window.problems).toEqual([]);
});

test('a thousand profiles scroll as a window of rows, filter, and move focus with the arrow keys', async ({ context, page }) => {
  const profiles = Array.from({ length: 1000 }, (_, index) => {
    const name = `team-${String(index).padStart(4, '0')}`;
    if (index % 7 === 0) return fakeProfile(name);
    if (index === 3) return fakeProfile(name, { status: 'failed', lastError: { code: 'ACCESS_DENIED', message: 'Roles Anywhere denied the request.', next: 'Check the trust policy.' } });
    if (index === 5) return activeProfile(name, 200, { certificateState: 'expiring', certificateDaysLeft: 9, certificate: endingIn(9) });
    if (index === 8) return fakeProfile(name, { certificateState: 'expired', certificateDaysLeft: -3, certificate: endingIn(-4), delivery: 'process' });
    return activeProfile(name, 600 + index * 37, { delivery: index % 3 === 0 ? 'process' : 'file', signingRegion: index % 2 ? 'eu-west-1' : 'us-east-1' });
  });
  const window = await open(context, page, { 'state.get': () => fakeState(profiles) });

  const list = page.getByRole('list', { name: 'Profiles' });
  // The test bridge carries the 1,000 views as JSON through a Playwright binding: seconds on a busy machine.
  await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-setsize', '1000', { timeout: 20_000 });
  expect(await list.getByRole('listitem').count()).toBeLessThan(40);
  await expect(page.getByText('1000 profiles')).toBeVisible();
  await shoot(page, 'list');

  const first = page.getByRole('switch', { name: 'Activate team-0000' });
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('switch', { name: 'Activate team-0001' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByRole('switch', { name: 'Activate team-0999' })).toBeFocused();
  await shoot(page, 'keyboard');

  await page.keyboard.press('Home');
  await page.getByRole('button', { name: 'Copy team-0000 for another shell' }).click();
  await expect(page.getByRole('menuitemradio', { name: 'zsh' })).toBeFocused();
  await shoot(page, 'menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Copy team-0000 for another shell' })).toBeFocused();

  await page.getByRole('searchbox', { name: 'Filter profiles' }).fill('team-0998');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  expect(window.problems).toEqual([]);
});

test('adding a profile unlocks the key, shows its principal tags and checks ARNs as they are typed', async ({ context, page }) => {
  const window = await open(context, page, {
    'state.get': () => fakeState([activeProfile('prod', 2400)]),
    'files.chooseCertificate': () => fakeDraft({ unlocked: false, certificate: undefined, chain: [], sourceFiles: ['/home/alice/certs/alice.p12'] }),
    'drafts.unlock': (input) => {
      if ((input as { passphrase: string }).passphrase !== 'right') {
        throw { code: 'PKCS12_PASSWORD_WRONG', message: 'The PKCS#12 password is wrong (integrity check failed).', next: 'Check the password.' };
      }
      const certificate = endingIn(12);
      // The agent's own words (core/profiles/drafts.ts); the window says the expiry in its own.
      return fakeDraft({ sourceFiles: ['/home/alice/certs/alice.p12'], certificate, warnings: [`The certificate expires in 12 days (${certificate.notAfter}); ask your CA for a new one soon.`] });
    },
    'profiles.add': (input) => {
      if (!(input as { force?: boolean }).force) {
        throw { code: 'AWS_PROFILE_TAKEN', message: 'This AWS profile name already holds credentials Rolecall did not write.', next: 'Choose another name, or let Rolecall take over that profile.' };
      }
      return fakeProfile('alice-dev');
    },
    'discover.list': () => ({
      region: 'eu-west-1',
      trustAnchors: [{ arn: TRUST_ANCHOR_ARN, name: 'corp-ca', enabled: true }],
      profiles: [{ arn: PROFILE_ARN, name: 'developers', enabled: true, roleArns: [ROLE_ARN], durationSeconds: 3600, acceptRoleSessionName: true }],
    }),
  });

  await page.getByRole('button', { name: 'Add profile' }).click();
  const editor = page.getByRole('dialog', { name: 'Add profile' });
  await expect(editor.getByLabel('Name', { exact: true })).toBeFocused();
  await editor.getByLabel('Name', { exact: true }).fill('alice-dev');
  await editor.getByRole('button', { name: 'Choose files…' }).click();
  const passphrase = editor.getByLabel(/Passphrase for alice.p12/);
  const add = editor.getByRole('button', { name: 'Add profile' });
  await passphrase.fill('wrong');
  await passphrase.press('Enter');
  await expect(editor.getByText('The PKCS#12 password is wrong')).toBeVisible();
  await expect(add).toBeDisabled();
  await expect(add).toHaveAccessibleDescription('Fix what is marked above first.');
  await passphrase.fill('right');
  await editor.getByRole('button', { name: 'Unlock' }).click();
  await expect(editor.getByRole('cell', { name: 'aws:PrincipalTag/x509Subject/OU' })).toBeVisible();
  await expect(editor.getByRole('cell', { name: 'Platform' })).toBeVisible();
  await expect(add).toBeEnabled();
  // One wording for the certificate's expiry: the warning and the validity line count the same days.
  await expect(editor.getByRole('list', { name: 'Warnings' })).toHaveText('Certificate expires in 12 days. Ask your CA for a new one soon.');
  await expect(editor.getByText(/^\w{3} \d+, \d{4} – \w{3} \d+, \d{4} \(expires in 12 days\)$/)).toBeVisible();
  await expect(editor.getByText(/days left|\d{4}-\d{2}-\d{2}T/)).toHaveCount(0);
  // The file the user chose, by name; its whole path on hover.
  await expect(editor.getByTitle('/home/alice/certs/alice.p12')).toHaveText('alice.p12');

  await editor.getByLabel('Trust anchor ARN').fill(PROFILE_ARN);
  await editor.getByLabel('Trust anchor ARN').blur();
  await expect(editor.getByText('This is a profile ARN; expected arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID.')).toBeVisible();
  await expect(add).toBeDisabled();
  await editor.getByLabel('Trust anchor ARN').fill('');
  await editor.getByRole('button', { name: 'List', exact: true }).click();
  await expect(editor.getByLabel('Trust anchor ARN')).toHaveValue(TRUST_ANCHOR_ARN);
  await expect(editor.getByLabel('Role ARN')).toHaveValue(ROLE_ARN);
  await expect(add).toBeEnabled();
  // Opened at the foot of the sheet, the advanced section scrolls into view above the footer.
  await editor.getByText('Advanced', { exact: true }).click();
  await expect(editor.getByLabel('Endpoint')).toBeInViewport({ ratio: 1 });
  const [advanced, footer] = await Promise.all([editor.locator('details.advanced').boundingBox(), editor.locator('.dialog-footer').boundingBox()]);
  // Boxes are in fractional pixels: half a pixel is rounding, not overlap.
  expect((advanced?.y ?? 0) + (advanced?.height ?? Infinity)).toBeLessThanOrEqual((footer?.y ?? 0) + 0.5);
  await editor.locator('.dialog-body').evaluate((body) => body.scrollTo(0, 0));
  await shoot(page, 'editor', 2000);
  expect(window.calls.find((call) => call.operation === 'discover.list')?.input).toEqual({ using: { kind: 'rolecall', name: 'prod' }, region: 'eu-west-1' });

  await editor.getByRole('button', { name: 'Add profile' }).click();
  await expect(editor.getByRole('alert')).toContainText('This AWS profile name already holds credentials');
  await editor.getByRole('button', { name: 'Take over' }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole('switch', { name: 'Activate alice-dev' })).toBeVisible();
  const adds = window.calls.filter((call) => call.operation === 'profiles.add').map((call) => call.input);
  // The names picked from discovery are saved with the ARNs, so rows show them without discovery.
  const names = { trustAnchor: 'corp-ca', profile: 'developers' };
  expect(adds).toEqual([
    { name: 'alice-dev', draftId: 'draft-1', keyStorage: 'keychain', trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, durationSeconds: 3600, autoRefresh: true, delivery: 'file', names },
    { name: 'alice-dev', draftId: 'draft-1', keyStorage: 'keychain', trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, durationSeconds: 3600, autoRefresh: true, delivery: 'file', names, force: true },
  ]);
  expect(window.problems).toEqual([]);
});

test('editing from the row menu sends only what changed, and removing asks first', async ({ context, page }) => {
  let prod = activeProfile('prod', 2400);
  const window = await open(context, page, {
    'state.get': () => fakeState([prod, fakeProfile('staging')]),
    'profiles.edit': (input) => {
      prod = { ...prod, durationSeconds: (input as { durationSeconds: number }).durationSeconds };
      return prod;
    },
    'profiles.remove': () => ({ removed: 'prod' }),
  });
  await page.getByRole('button', { name: 'More actions for prod' }).click();
  await page.getByRole('menuitem', { name: 'Edit…' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit prod' });
  await editor.getByLabel('Duration (seconds)').fill('7200');
  await expect(editor.getByText('2 h', { exact: true })).toBeVisible();
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Saved prod.' })).toBeVisible();

  await page.getByRole('button', { name: 'More actions for prod' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Details…' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByRole('menuitem', { name: 'Remove…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Remove prod?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shoot(page, 'remove');
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('listitem')).toHaveCount(1);
  expect(window.calls.filter((call) => call.operation !== 'state.get')).toEqual([
    { operation: 'profiles.edit', input: { name: 'prod', durationSeconds: 7200 } },
    { operation: 'profiles.remove', input: { name: 'prod' } },
  ]);
  expect(window.problems).toEqual([]);
});

test('a failed call shows its message and next step in a banner that can be dismissed', async ({ context, page }) => {
  const window = await open(context, page, {
    'state.get': () => fakeState([fakeProfile('staging')]),
    'sessions.activate': () => {
      throw { code: 'ACCESS_DENIED', message: 'Roles Anywhere denied the request.', next: 'Check the role\'s trust policy.', detail: 'HTTP 403 AccessDeniedException' };
    },
  });
  await page.getByRole('switch', { name: 'Activate staging' }).click();
  const banner = page.getByRole('alert');
  await expect(banner).toContainText('staging: Roles Anywhere denied the request. HTTP 403 AccessDeniedException');
  await expect(banner).toContainText('Choose "Why?" in the profile\'s menu');
  await expect(page.getByRole('switch', { name: 'Activate staging' })).toHaveAttribute('aria-checked', 'false');
  await shoot(page, 'error');
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(window.problems).toEqual([]);
});

test('failed, expired, refreshing and ending rows say what is going on, in readable colours', async ({ context, page }) => {
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  const denied = { code: 'ACCESS_DENIED' as const, message: 'Roles Anywhere denied the request.', next: 'Check the role\'s trust policy.', detail: 'HTTP 403 AccessDeniedException' };
  const offline = { code: 'NETWORK' as const, message: 'Rolecall could not reach Roles Anywhere.', next: 'Check your network.' };
  const longName = 'platform-engineering-production-eu-central-1-breakglass-readonly';
  const window = await open(context, page, {
    'state.get': () =>
      fakeState([
        activeProfile('ci', 1500, { status: 'refreshing', nextRefreshAt: undefined }),
        fakeProfile('ops', { status: 'failed', lastError: denied, nextRefreshAt: inSeconds(95) }),
        activeProfile(longName, 7 * 3600, {
          roleArn: `arn:aws:iam::123456789012:role/platform/break-glass/PlatformEngineeringProductionBreakGlassReadOnlyAccess`,
          signingRegion: 'ap-southeast-2',
          toolRegion: 'eu-central-1',
          delivery: 'process',
          certificateState: 'expiring',
          certificateDaysLeft: 3,
          certificate: endingIn(3),
        }),
        activeProfile('prod', 1100, { status: 'failed', lastError: offline, nextRefreshAt: inSeconds(40) }),
        fakeProfile('qa', { status: 'expired', expiresAt: inSeconds(-120), lastError: offline, nextRefreshAt: inSeconds(20) }),
        activeProfile('sre', 150),
      ]),
  });
  const row = (name: string) => page.getByRole('listitem', { name, exact: true });

  await expect(row('ci').getByRole('button', { name: 'Refresh ci now' })).toHaveAttribute('aria-busy', 'true');
  await expect(row('ci').getByText('Refreshing', { exact: true })).toBeVisible();
  // Failed without a session: the message and when Rolecall tries again, not a bare dash; the service's
  // answer and the next step are in the message's tooltip.
  await expect(row('ops').getByText('Roles Anywhere denied the request.', { exact: true })).toBeVisible();
  await expect(row('ops').getByText(/^retry 1m 3\ds$/)).toBeVisible();
  await expect(row('ops').getByText('Roles Anywhere denied the request.', { exact: true })).toHaveAttribute('title', /^Roles Anywhere denied the request\. HTTP 403 AccessDeniedException \S.*\.$/);
  // Failed with a session still valid: the countdown runs on.
  await expect(row('prod').locator('time')).toHaveText(/^18m/);
  await expect(row('qa').locator('time')).toHaveText('expired');
  await expect(row('sre').locator('time')).toHaveText(/^2m/);
  await expect(row('sre').locator('time')).toHaveClass(/countdown-soon/);
  await expect(row('prod').locator('time')).toHaveClass(/countdown-ok/);
  // A long name and role are cut with an ellipsis, keep their full text in a tooltip, and leave the actions on screen.
  const name = row(longName).getByText(longName, { exact: true });
  expect(await name.getAttribute('title')).toContain(longName);
  expect(await name.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  await expect(row(longName).getByRole('button', { name: `More actions for ${longName}` })).toBeInViewport({ ratio: 1 });
  // At 900 px nothing else is cut: error messages and the certificate warning show whole, in the
  // certificate's one expiry wording, and whatever gives way keeps its whole text in a tooltip.
  expect(page.viewportSize()?.width).toBe(900);
  await expect(row(longName).getByText('Certificate expires in 3 days', { exact: true })).toBeVisible();
  const clipped = await page.locator('[role="listitem"]').evaluateAll(clippedTextIn);
  for (const { text, title } of clipped) expect(title, `"${text}" is cut without a tooltip that holds it`).toContain(text.replace(/…$/, ''));
  expect(clipped.filter(({ text }) => /Roles Anywhere|Rolecall could not|Certificate|Copy/.test(text))).toEqual([]);
  // The copy button says what it copies, to the eye and to a screen reader.
  const copy = row('ops').getByRole('button', { name: 'Copy zsh environment exports for ops' });
  await expect(copy).toHaveText('Copy zsh env');
  expect(await copy.evaluate((button) => button.scrollWidth <= button.clientWidth)).toBe(true);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const pieces = await page.locator('[role="listitem"]').evaluateAll(contrastOfText);
    expect(pieces.length).toBeGreaterThan(30);
    for (const { text, ratio } of pieces) expect(ratio, `${colorScheme}: contrast of "${text}"`).toBeGreaterThanOrEqual(4.5);
  }
  await shoot(page, 'states');
  expect(window.problems).toEqual([]);
});

test('the keyboard reaches every control, and dialogs and menus hand focus back where it was', async ({ context, page }) => {
  let profiles = [activeProfile('prod', 2400), fakeProfile('staging'), fakeProfile('test')];
  const window = await open(context, page, {
    'state.get': () => fakeState(profiles),
    'profiles.remove': (input) => {
      profiles = profiles.filter((profile) => profile.name !== (input as { name: string }).name);
      return { removed: (input as { name: string }).name };
    },
  });
  await expect(page.getByRole('switch', { name: 'Activate prod' })).toBeVisible();
  const focused = () => page.evaluate(() => {
    const element = (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null; textContent: string | null } | null } }).document.activeElement;
    return element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '';
  });
  const order: string[] = [];
  for (let step = 0; step < 10; step += 1) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  expect(order).toEqual(['Import…', 'Add profile', 'Settings', 'Activate prod', 'Details of prod', 'Refresh prod now', 'Copy zsh environment exports for prod', 'Copy prod for another shell', 'More actions for prod', 'Activate staging']);

  // Escape closes each dialog and gives focus back to the button that opened it.
  for (const [opener, dialog, first] of [
    ['Settings', 'Settings', /^Start Rolecall at login/],
    ['Add profile', 'Add profile', /^Name$/],
    ['Import…', 'Import from AWS config', undefined],
  ] as const) {
    await page.getByRole('button', { name: opener, exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: dialog })).toBeVisible();
    if (first) await expect(page.getByRole('dialog', { name: dialog }).getByLabel(first)).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('button', { name: opener, exact: true })).toBeFocused();
  }

  // The row menu opens from the keyboard; Tab leaves it for the next control, Shift+Tab for the one before.
  const more = page.getByRole('button', { name: 'More actions for prod' });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Details…' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(page.getByRole('switch', { name: 'Activate staging' })).toBeFocused();
  await more.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Copy prod for another shell' })).toBeFocused();
  await more.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('menuitem', { name: 'Edit…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Edit prod' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(more).toBeFocused();

  // Removing from the keyboard: Escape returns to the menu button; once removed, focus goes to the row that took its place.
  const stagingMore = page.getByRole('button', { name: 'More actions for staging' });
  await stagingMore.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Remove staging?' }).getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(stagingMore).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'More actions for test' })).toBeFocused();
  expect(window.calls.filter((call) => call.operation === 'profiles.remove')).toEqual([{ operation: 'profiles.remove', input: { name: 'staging' } }]);
  expect(window.problems).toEqual([]);
});

test('the import preview lists candidates with their problems and the config diff', async ({ context, page }) => {
  const plan: ImportPlan = {
    configPath: '/home/alice/.aws/config',
    candidates: [
      { awsProfile: 'dev', name: 'dev', tool: 'aws_signing_helper', certificatePath: '/home/alice/certs/dev.pem', privateKeyPath: '/home/alice/certs/dev.key', trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, region: 'eu-west-1', multiLine: false, problems: [] },
      { awsProfile: 'ops', name: 'ops', tool: 'aws_signing_helper', certificatePath: '/home/alice/certs/ops.pem', trustAnchorArn: TRUST_ANCHOR_ARN, profileArn: PROFILE_ARN, roleArn: ROLE_ARN, multiLine: true, problems: [{ code: 'KEY_PASSPHRASE_REQUIRED', message: 'The private key is encrypted.', next: 'Give the passphrase.' }] },
      { awsProfile: 'old', name: 'old', tool: 'aws_signing_helper', certificatePath: '/home/alice/certs/gone.pem', multiLine: false, problems: [{ code: 'FILE_UNREADABLE', message: 'A file could not be read.', next: 'Check the path exists and you can read it.', detail: '/home/alice/certs/gone.pem' }] },
    ],
    configDiff: ['--- /home/alice/.aws/config', '+++ /home/alice/.aws/config', '@@ -1,3 +1,3 @@', ' [profile dev]', '-credential_process = aws_signing_helper credential-process --certificate /home/alice/certs/dev.pem', '+credential_process = rolecall credential-process --profile dev', ' region = eu-west-1'].join('\n'),
  };
  const window = await open(context, page, {
    'state.get': () => fakeState([], { ...SETTINGS }),
    'import.preview': () => plan,
    'import.apply': () => ({ imported: ['dev', 'ops'], failed: [], keyFilesNowInKeychain: ['/home/alice/certs/dev.key'] }),
  });
  await page.getByRole('button', { name: /Import from ~\/.aws\/config/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Import from AWS config' });
  await expect(dialog.getByRole('checkbox', { name: /dev/ })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /old/ })).toBeDisabled();
  await dialog.getByText('Changes to /home/alice/.aws/config').click();
  await dialog.getByLabel('Passphrase of the private key').fill('secret');
  await shoot(page, 'import', 900);
  await dialog.getByRole('button', { name: 'Import 2 profiles' }).click();
  await expect(dialog.getByText('/home/alice/certs/dev.key')).toBeVisible();
  expect(window.calls.find((call) => call.operation === 'import.apply')?.input).toEqual({ awsProfiles: ['dev', 'ops'], passphrases: { ops: 'secret' } });
  expect(window.problems).toEqual([]);
});

test('settings apply at once and remember the shell used for copying', async ({ context, page }) => {
  let settings = { ...SETTINGS };
  const window = await open(context, page, {
    'state.get': () => fakeState([activeProfile('prod', 1800)], settings),
    'settings.set': (input) => {
      settings = { ...settings, ...(input as object) };
      return settings;
    },
    'env.copy': () => ({ clearsAt: new Date(Date.now() + 60_000).toISOString() }),
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('checkbox', { name: /Start Rolecall at login/ }).check();
  await dialog.getByLabel('Copy environment for').selectOption('fish');
  await dialog.getByRole('switch', { name: /Renew Rolecall-CA certificates with the same key/ }).check();
  await shoot(page, 'settings');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await page.getByRole('button', { name: 'Copy fish environment exports for prod' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied fish exports for prod' })).toBeVisible();
  expect(window.calls.filter((call) => call.operation !== 'state.get').map((call) => call.input)).toEqual([
    { startAtLogin: true },
    { defaultShell: 'fish' },
    { renewWithSameKey: true },
    { name: 'prod', shell: 'fish' },
  ]);
  expect(window.problems).toEqual([]);
});

test('the window gets exactly the operations exposed to the renderer', async ({ context, page }) => {
  const window = await open(context, page, { 'state.get': () => fakeState([]) });
  await expect(page.getByRole('heading', { name: 'Sign in to AWS with your certificate' })).toBeVisible();
  const shape = await page.evaluate(() => {
    const api = (globalThis as unknown as { rolecall: Record<string, Record<string, unknown>> }).rolecall;
    return Object.fromEntries(Object.entries(api).map(([group, methods]) => [group, Object.keys(methods).sort()]));
  });
  const expected: Record<string, string[]> = { events: ['subscribe'] };
  for (const name of operationsExposedTo('renderer')) {
    const [group = '', method = ''] = name.split('.');
    (expected[group] ??= []).push(method);
  }
  for (const methods of Object.values(expected)) methods.sort();
  expect(shape).toEqual(expected);
  expect(shape.credentials).toBeUndefined();
  const refused = await page.evaluate(() => (globalThis as unknown as { __rolecallCall: (op: string, input: unknown) => Promise<unknown> }).__rolecallCall('credentials.get', { name: 'x' }));
  expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  expect(window.calls.map((call) => call.operation)).toEqual(['state.get']);
});
