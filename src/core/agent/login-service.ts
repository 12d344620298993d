// What `rolecall agent install` registers so the headless agent starts at login, for users without the
// desktop app (whose own autostart covers its users): a systemd user unit on Linux, a LaunchAgent on
// macOS, a per-user Run value on Windows. Pure text builders; the CLI writes and registers them.
import { posix } from 'node:path';
import { RolecallError } from '../../shared/errors';

export const SYSTEMD_UNIT_NAME = 'rolecall-agent.service';
export const LAUNCH_AGENT_LABEL = 'dev.rolecall.agent';
export const WINDOWS_RUN_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
export const WINDOWS_RUN_VALUE = 'RolecallAgent';
/** Starts each file Rolecall writes: uninstall removes a file only when it carries this. */
export const LOGIN_SERVICE_MARK = 'Written by `rolecall agent install`; `rolecall agent uninstall` removes it.';

/**
 * What the agent reads from its environment that a shell may have set: a service started at login gets
 * none of the user's shell variables, so the agent would use other files than the CLI does.
 * XDG_CONFIG_HOME decides the data folder on Linux when ROLECALL_HOME is not set.
 */
export const CARRIED_VARIABLES = ['ROLECALL_HOME', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'XDG_CONFIG_HOME'] as const;

export interface LoginService {
  /** Absolute program and arguments that start the headless agent. */
  readonly command: readonly string[];
  /** Variables set for the agent, in a stable order. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface AgentCommandInput {
  /** How the CLI starts itself (cliCommand): the script alone when its shebang can find node. */
  readonly launcher: readonly string[];
  /** The running node (or Electron in Node mode). */
  readonly execPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Set when the CLI runs inside Electron's binary in Node mode (the desktop packages' `rolecall`). */
  readonly electron: boolean;
}

export function loginService({ launcher, execPath, env, electron }: AgentCommandInput): LoginService {
  // A shebang looks node up on PATH, and a login service's PATH (systemd's, launchd's) often lacks the
  // user's node (nvm, Homebrew on Apple silicon): name it.
  const program = launcher.length === 1 ? [execPath, ...launcher] : [...launcher];
  const environment: Record<string, string> = {};
  for (const name of CARRIED_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') environment[name] = value;
  }
  if (electron) environment.ELECTRON_RUN_AS_NODE = '1';
  return { command: [...program, 'agent', '--background'], environment };
}

// Line breaks or other control characters in a path would end a line of the unit or plist early.
function assertPrintable(what: string, value: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new RolecallError('LOGIN_SERVICE_UNSAFE', `${what} ${JSON.stringify(value)}`);
}

/** One systemd word, quoted: C escapes for \ and ", %% for a specifier, $$ where variables expand. */
function systemdWord(value: string, expandsVariables: boolean): string {
  const escaped = value.replace(/[\\"]/g, (char) => `\\${char}`).replace(/%/g, '%%');
  return `"${expandsVariables ? escaped.replace(/\$/g, '$$$$') : escaped}"`;
}

export function systemdUnitPath(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME && posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : posix.join(homedir, '.config');
  return posix.join(configHome, 'systemd', 'user', SYSTEMD_UNIT_NAME);
}

export function systemdUnit({ command, environment }: LoginService): string {
  command.forEach((word) => assertPrintable('a word of the agent command is', word));
  const [program = '', ...args] = command;
  // systemd refuses these in the program's path however they are escaped ("special characters").
  if (/["'\\]/.test(program)) throw new RolecallError('LOGIN_SERVICE_UNSAFE', `systemd cannot start a program whose path holds a quote or backslash: ${program}`);
  const lines = [
    `# ${LOGIN_SERVICE_MARK}`,
    '[Unit]',
    'Description=Rolecall agent: keeps IAM Roles Anywhere sessions fresh',
    '',
    '[Service]',
    'Type=simple',
    // Variables expand in the arguments only: a $ in the program's path is taken as it is.
    `ExecStart=${[systemdWord(program, false), ...args.map((word) => systemdWord(word, true))].join(' ')}`,
    ...Object.entries(environment).map(([name, value]) => {
      assertPrintable(name, value);
      // Environment= expands specifiers but not variables.
      return `Environment=${systemdWord(`${name}=${value}`, false)}`;
    }),
    // A clean exit (idle with nothing active, or another agent already running) is not a failure.
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ];
  return lines.join('\n');
}

export function launchAgentPath(homedir: string): string {
  return posix.join(homedir, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`);
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function launchAgentPlist({ command, environment }: LoginService): string {
  const stringElement = (value: string) => `<string>${xmlText(value)}</string>`;
  command.forEach((word) => assertPrintable('a word of the agent command is', word));
  const variables = Object.entries(environment);
  variables.forEach(([name, value]) => assertPrintable(name, value));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- ${LOGIN_SERVICE_MARK} -->`,
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>`,
    `  ${stringElement(LAUNCH_AGENT_LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...command.map((word) => `    ${stringElement(word)}`),
    '  </array>',
    ...(variables.length === 0
      ? []
      : ['  <key>EnvironmentVariables</key>', '  <dict>', ...variables.flatMap(([name, value]) => [`    <key>${xmlText(name)}</key>`, `    ${stringElement(value)}`]), '  </dict>']),
    '  <key>RunAtLoad</key>',
    '  <true/>',
    // Restarted when it fails, not after a clean exit: the equivalent of systemd's Restart=on-failure.
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>ProcessType</key>',
    '  <string>Background</string>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/**
 * One argument as Windows programs split their command line (the MSVC rules, which reg.exe and node
 * follow): quoted when it holds a space or quote; backslashes doubled only before a quote.
 */
export function windowsArgument(value: string): string {
  if (value !== '' && !/[\s"]/.test(value)) return value;
  let quoted = '"';
  let backslashes = 0;
  for (const char of value) {
    if (char === '\\') {
      backslashes += 1;
      continue;
    }
    quoted += char === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${char}`;
    backslashes = 0;
  }
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`;
}

export function windowsCommandLine(args: readonly string[]): string {
  return args.map(windowsArgument).join(' ');
}

/** The Run value's data: the command line Windows runs at sign-in. */
export function windowsRunCommand({ command }: LoginService): string {
  command.forEach((word) => assertPrintable('a word of the agent command is', word));
  return windowsCommandLine(command);
}

/** reg.exe's arguments that add the Run value. */
export function windowsRegAddArgs(service: LoginService): string[] {
  return ['add', WINDOWS_RUN_KEY, '/v', WINDOWS_RUN_VALUE, '/t', 'REG_SZ', '/d', windowsRunCommand(service), '/f'];
}

export function windowsRegDeleteArgs(): string[] {
  return ['delete', WINDOWS_RUN_KEY, '/v', WINDOWS_RUN_VALUE, '/f'];
}
