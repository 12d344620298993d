// `rolecall agent install|uninstall [--dry-run]`: registers the headless agent to start at login (and
// removes exactly that again), so activated profiles resume after a reboot without the desktop app.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, readlink, rm, rmdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import {
  LAUNCH_AGENT_LABEL,
  LOGIN_SERVICE_MARK,
  SYSTEMD_UNIT_NAME,
  WINDOWS_RUN_KEY,
  WINDOWS_RUN_VALUE,
  launchAgentPath,
  launchAgentPlist,
  loginService,
  systemdUnit,
  systemdUnitPath,
  windowsCommandLine,
  windowsRegAddArgs,
  windowsRegDeleteArgs,
  type LoginService,
} from '../../core/agent/login-service';
import { RolecallError } from '../../shared/errors';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { cliCommand } from '../runtime';

type Action = 'install' | 'uninstall';

const HELP: Record<Action, string> = {
  install: formatHelp({
    usage: 'rolecall agent install [--dry-run]',
    summary:
      'Start the Rolecall agent at each login, so active profiles are refreshed from the start of the session without the desktop app: a systemd user unit on Linux, a LaunchAgent on macOS, a Run entry on Windows.',
    options: [
      ['--dry-run', 'Print what would be written and run, and change nothing'],
      ['--help', 'Show this help'],
    ],
    notes: [
      'ROLECALL_HOME, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE and XDG_CONFIG_HOME, when set now, are written into the service: a service started at login does not see your shell\'s variables. Install again after changing them, or after moving Rolecall or node.',
      EXIT_CODES_HELP,
    ],
  }),
  uninstall: formatHelp({
    usage: 'rolecall agent uninstall [--dry-run]',
    summary: 'Stop starting the Rolecall agent at login: removes what `rolecall agent install` made, and nothing else.',
    options: [
      ['--dry-run', 'Print what would be removed and run, and change nothing'],
      ['--help', 'Show this help'],
    ],
    notes: [EXIT_CODES_HELP],
  }),
};

const COMMAND_TIMEOUT_MS = 30_000;

interface Ran {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs a system tool without a shell; its failure is a value, described by its own first words. */
function runTool(program: string, args: readonly string[]): Promise<Ran> {
  return new Promise((resolveRun) => {
    execFile(program, [...args], { timeout: COMMAND_TIMEOUT_MS, windowsHide: true }, (error, stdout, stderr) => {
      const said = `${stderr}`.trim() || `${stdout}`.trim() || (error ? error.message : '');
      resolveRun({ ok: error === null, output: said.split('\n')[0] ?? '' });
    });
  });
}

async function runOrFail(program: string, args: readonly string[], after: string): Promise<void> {
  const ran = await runTool(program, args);
  if (!ran.ok) throw new RolecallError('LOGIN_SERVICE_FAILED', `${[program, ...args].join(' ')}: ${ran.output}; ${after}`);
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && isFile(join(folder, program)));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The service this CLI would register: itself, by absolute paths, as the background agent. */
function thisAgent(): LoginService {
  return loginService({ launcher: cliCommand(), execPath: process.execPath, env: process.env, electron: process.versions.electron !== undefined });
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RolecallError('FILE_UNREADABLE', path, { cause: error });
  }
}

/** The file at path, which must be absent or one Rolecall wrote. */
async function ownFile(path: string): Promise<string | undefined> {
  const text = await readIfExists(path);
  if (text !== undefined && !text.includes(LOGIN_SERVICE_MARK)) throw new RolecallError('LOGIN_SERVICE_NOT_OURS', path);
  return text;
}

async function writeServiceFile(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { mode: 0o644 });
  } catch (error) {
    throw new RolecallError('STORE_UNWRITABLE', `${path}: ${(error as NodeJS.ErrnoException).code ?? 'write failed'}`, { cause: error });
  }
}

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export async function run(action: Action, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP[action]);
    return 0;
  }
  const dryRun = values['dry-run'] === true;
  switch (process.platform) {
    case 'linux':
      return action === 'install' ? installSystemd(dryRun) : uninstallSystemd(dryRun);
    case 'darwin':
      return action === 'install' ? installLaunchAgent(dryRun) : uninstallLaunchAgent(dryRun);
    case 'win32':
      return action === 'install' ? installRunValue(dryRun) : uninstallRunValue(dryRun);
    default:
      throw new RolecallError('USAGE', `rolecall agent ${action} knows Linux (systemd), macOS and Windows, not ${process.platform}`);
  }
}

// systemctl reaches the user's service manager over its private socket (or the user bus) in the
// login session's runtime folder; without either, it could only fail.
function systemdReachable(env: NodeJS.ProcessEnv): boolean {
  const runtime = env.XDG_RUNTIME_DIR;
  if (!onPath('systemctl', env) || !runtime) return false;
  return existsSync(join(runtime, 'systemd', 'private')) || existsSync(join(runtime, 'bus'));
}

const ENABLE = ['--user', 'enable', '--now', SYSTEMD_UNIT_NAME];
const RELOAD = ['--user', 'daemon-reload'];
const DISABLE = ['--user', 'disable', '--now', SYSTEMD_UNIT_NAME];
const systemctlLine = (args: readonly string[]) => `systemctl ${args.join(' ')}`;

async function installSystemd(dryRun: boolean): Promise<number> {
  const path = systemdUnitPath(process.env, homedir());
  const unit = systemdUnit(thisAgent());
  await ownFile(path);
  const reachable = systemdReachable(process.env);
  if (dryRun) {
    print(`Would write ${path}:\n\n${unit}`);
    print(`Then ${reachable ? 'run' : 'you would run'}: ${systemctlLine(RELOAD)} && ${systemctlLine(ENABLE)}`);
    return 0;
  }
  await writeServiceFile(path, unit);
  if (!reachable) {
    print(`Wrote ${path}.`);
    print(`systemd's user manager is not reachable from here (no systemctl, or no user session). In your login session, run:\n  ${systemctlLine(RELOAD)} && ${systemctlLine(ENABLE)}`);
    return 0;
  }
  const after = `the unit is written at ${path}`;
  await runOrFail('systemctl', RELOAD, after);
  await runOrFail('systemctl', ENABLE, after);
  print(`Installed ${path}: the agent starts at each login (\`systemctl --user status ${SYSTEMD_UNIT_NAME}\` shows it).`);
  return 0;
}

async function uninstallSystemd(dryRun: boolean): Promise<number> {
  const path = systemdUnitPath(process.env, homedir());
  if ((await ownFile(path)) === undefined) {
    print(`Nothing to remove: ${path} does not exist.`);
    return 0;
  }
  const reachable = systemdReachable(process.env);
  if (dryRun) {
    print(reachable ? `Would run ${systemctlLine(DISABLE)}, remove ${path} and run ${systemctlLine(RELOAD)}.` : `Would remove ${path}.`);
    return 0;
  }
  if (reachable) await runOrFail('systemctl', DISABLE, `${path} was left in place`);
  else await removeEnableLink(path);
  await rm(path, { force: true });
  await removeEmptyFolders(dirname(path), 2);
  if (reachable) await runOrFail('systemctl', RELOAD, `${path} is removed`);
  print(`Removed ${path}: the agent no longer starts at login.`);
  return 0;
}

/**
 * Without systemctl, the link `systemctl enable` made (if the user ran the step install printed) would
 * dangle once the unit is gone: remove it, and only when it points at our unit.
 */
async function removeEnableLink(unitPath: string): Promise<void> {
  const link = join(dirname(unitPath), 'default.target.wants', SYSTEMD_UNIT_NAME);
  const target = await readlink(link).catch(() => undefined);
  if (target !== undefined && resolve(dirname(link), target) === unitPath) await rm(link, { force: true });
}

/** Install made systemd/user when it was missing; left empty, it goes too (a folder in use is kept). */
async function removeEmptyFolders(folder: string, levels: number): Promise<void> {
  for (let current = folder, left = levels; left > 0; current = dirname(current), left -= 1) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}

function launchDomain(): string {
  return `gui/${process.getuid?.() ?? 0}`;
}

async function installLaunchAgent(dryRun: boolean): Promise<number> {
  const path = launchAgentPath(homedir());
  const plist = launchAgentPlist(thisAgent());
  await ownFile(path);
  const bootstrap = ['bootstrap', launchDomain(), path];
  if (dryRun) {
    print(`Would write ${path}:\n\n${plist}`);
    print(`Then run: launchctl ${bootstrap.join(' ')}`);
    return 0;
  }
  await writeServiceFile(path, plist);
  // A LaunchAgent loaded from an earlier install refuses a second bootstrap: unload it first.
  await runTool('launchctl', ['bootout', `${launchDomain()}/${LAUNCH_AGENT_LABEL}`]);
  await runOrFail('launchctl', bootstrap, `the LaunchAgent is written at ${path}`);
  print(`Installed ${path}: the agent starts at each login.`);
  return 0;
}

async function uninstallLaunchAgent(dryRun: boolean): Promise<number> {
  const path = launchAgentPath(homedir());
  if ((await ownFile(path)) === undefined) {
    print(`Nothing to remove: ${path} does not exist.`);
    return 0;
  }
  const bootout = ['bootout', `${launchDomain()}/${LAUNCH_AGENT_LABEL}`];
  if (dryRun) {
    print(`Would run launchctl ${bootout.join(' ')} and remove ${path}.`);
    return 0;
  }
  // Fails when it is not loaded (never bootstrapped, or already out): either way it is out after this.
  await runTool('launchctl', bootout);
  await rm(path, { force: true });
  print(`Removed ${path}: the agent no longer starts at login.`);
  return 0;
}

async function installRunValue(dryRun: boolean): Promise<number> {
  const service = thisAgent();
  const args = windowsRegAddArgs(service);
  const unset = Object.keys(service.environment).filter((name) => name !== 'ELECTRON_RUN_AS_NODE');
  if (dryRun) print(`Would run: ${windowsCommandLine(['reg', ...args])}`);
  else {
    await runOrFail('reg', args, 'nothing was registered');
    print(`Added ${WINDOWS_RUN_VALUE} to ${WINDOWS_RUN_KEY}: the agent starts at your next sign-in (commands start it before that when needed).`);
  }
  // A Run entry cannot carry variables: the agent sees only the user's saved environment.
  if (unset.length > 0) print(`The agent started at sign-in sees only your saved environment: save ${unset.join(', ')} with setx (or System Properties > Environment Variables) if they are set only in this shell.`);
  return 0;
}

async function uninstallRunValue(dryRun: boolean): Promise<number> {
  const present = await runTool('reg', ['query', WINDOWS_RUN_KEY, '/v', WINDOWS_RUN_VALUE]);
  if (!present.ok) {
    print(`Nothing to remove: ${WINDOWS_RUN_KEY} has no ${WINDOWS_RUN_VALUE}.`);
    return 0;
  }
  const args = windowsRegDeleteArgs();
  if (dryRun) {
    print(`Would run: ${windowsCommandLine(['reg', ...args])}`);
    return 0;
  }
  await runOrFail('reg', args, `${WINDOWS_RUN_VALUE} is still in ${WINDOWS_RUN_KEY}`);
  print(`Removed ${WINDOWS_RUN_VALUE} from ${WINDOWS_RUN_KEY}: the agent no longer starts at sign-in.`);
  return 0;
}
