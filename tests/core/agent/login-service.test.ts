// The files `rolecall agent install` writes, checked by the tools that will read them where they run
// here: systemd's own verifier for the Linux unit, Python's plistlib for the macOS LaunchAgent (plutil
// exists only on macOS), and Microsoft's documented command-line splitting rules for the Windows entry.
import { execFile, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LAUNCH_AGENT_LABEL,
  LOGIN_SERVICE_MARK,
  launchAgentPlist,
  loginService,
  systemdUnit,
  systemdUnitPath,
  windowsCommandLine,
  windowsRegAddArgs,
  windowsRunCommand,
  type LoginService,
} from '../../../src/core/agent/login-service';

const run = promisify(execFile);
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const hasSystemdAnalyze = spawnSync(SYSTEMD_ANALYZE, ['--version']).status === 0;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall login '));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `systemd-analyze --user verify`: needs a runtime folder, not a running user manager. */
async function verifyUserUnit(unit: string): Promise<{ code: number; stderr: string }> {
  const unitDir = join(dir, 'units');
  const runtime = join(dir, 'runtime');
  await mkdir(unitDir, { recursive: true });
  await mkdir(runtime, { recursive: true, mode: 0o700 });
  const path = join(unitDir, 'rolecall-agent.service');
  await writeFile(path, unit);
  const result = spawnSync(SYSTEMD_ANALYZE, ['--user', 'verify', path], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_COLOR: '0' } });
  return { code: result.status ?? -1, stderr: result.stderr };
}

/** An awkward install: node and the script in folders with spaces, % and $ (each special to systemd). */
async function awkwardService(environment: Record<string, string> = {}): Promise<LoginService> {
  const nodeDir = join(dir, 'node 100% $HOME');
  const scriptDir = join(dir, 'Jane Doe\'s "tools" 50% $PATH \\ bin');
  await mkdir(nodeDir, { recursive: true });
  await mkdir(scriptDir, { recursive: true });
  await symlink(process.execPath, join(nodeDir, 'node'));
  const script = join(scriptDir, 'rolecall.mjs');
  await writeFile(script, '#!/usr/bin/env node\n');
  await chmod(script, 0o755);
  return { command: [join(nodeDir, 'node'), script, 'agent', '--background'], environment };
}

/**
 * systemd's reading of one quoted word (extract_first_word with C unescaping, then specifiers and, in
 * ExecStart arguments, variables), for what the verifier cannot show: the values the agent receives.
 */
function systemdWords(line: string, expandsVariables: boolean): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => {
    const word = (match[1] ?? '').replace(/\\(.)/g, '$1').replace(/%%/g, '%');
    return expandsVariables ? word.replace(/\$\$/g, '$') : word;
  });
}

/** No control characters: what every builder refuses. */
const printable = (value: string) => [...value].every((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f);

/** How a Windows program splits its command line (Microsoft's "Parsing C++ command-line arguments"). */
function windowsArgv(commandLine: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < commandLine.length; i += 1) {
    const char = commandLine[i];
    if (char === '\\') {
      let count = 0;
      while (commandLine[i] === '\\') {
        count += 1;
        i += 1;
      }
      if (commandLine[i] === '"') {
        current += '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
      } else {
        current += '\\'.repeat(count);
        i -= 1;
      }
      started = true;
    } else if (char === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if ((char === ' ' || char === '\t') && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

describe('the agent\'s login service', () => {
  it('starts the agent by absolute paths, naming node even when the script could run alone', () => {
    const env = { ROLECALL_HOME: '/data/rc', AWS_CONFIG_FILE: '/aws/config', AWS_SHARED_CREDENTIALS_FILE: '', HOME: '/home/u', PATH: '/usr/bin' };
    expect(loginService({ launcher: ['/opt/rc/bin/rolecall.mjs'], execPath: '/usr/bin/node', env, electron: false })).toEqual({
      command: ['/usr/bin/node', '/opt/rc/bin/rolecall.mjs', 'agent', '--background'],
      environment: { ROLECALL_HOME: '/data/rc', AWS_CONFIG_FILE: '/aws/config' },
    });
    expect(loginService({ launcher: ['C:\\node\\node.exe', 'C:\\rc\\rolecall.mjs'], execPath: 'C:\\node\\node.exe', env: {}, electron: false }).command).toEqual([
      'C:\\node\\node.exe',
      'C:\\rc\\rolecall.mjs',
      'agent',
      '--background',
    ]);
  });

  it('keeps the desktop binary in Node mode when the CLI runs inside it', () => {
    const service = loginService({ launcher: ['/opt/Rolecall/rolecall-app', '/opt/Rolecall/resources/app.asar.unpacked/bin/rolecall.mjs'], execPath: '/opt/Rolecall/rolecall-app', env: {}, electron: true });
    expect(service.environment).toEqual({ ELECTRON_RUN_AS_NODE: '1' });
  });

  it('puts the unit under XDG_CONFIG_HOME when set, else ~/.config', () => {
    expect(systemdUnitPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/systemd/user/rolecall-agent.service');
    expect(systemdUnitPath({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/systemd/user/rolecall-agent.service');
    expect(systemdUnitPath({}, '/home/u')).toBe('/home/u/.config/systemd/user/rolecall-agent.service');
  });
});

describe('the systemd user unit', () => {
  it.skipIf(!hasSystemdAnalyze)('passes systemd-analyze verify, without a warning, for paths with spaces, %, $, quotes and backslashes', async () => {
    const service = await awkwardService({ ROLECALL_HOME: join(dir, 'data 100% "x" \\ $HOME'), AWS_CONFIG_FILE: '/home/u/.aws/config' });
    const verdict = await verifyUserUnit(systemdUnit(service));
    expect(verdict.stderr).toBe('');
    expect(verdict.code).toBe(0);
  });

  it.skipIf(!hasSystemdAnalyze)('is caught by the verifier when a path is not escaped (the check can fail)', async () => {
    const service = await awkwardService();
    const unescaped = systemdUnit(service).replace(/^ExecStart=.*$/m, `ExecStart=${service.command.join(' ')}`);
    const verdict = await verifyUserUnit(unescaped);
    expect(verdict.code).not.toBe(0);
    expect(verdict.stderr).toContain('rolecall-agent.service:7');
  });

  it('hands the agent exactly the command and variables it was given', async () => {
    const service = await awkwardService({ ROLECALL_HOME: join(dir, 'data 100% "x" \\ $HOME'), AWS_SHARED_CREDENTIALS_FILE: '/c/credentials' });
    const unit = systemdUnit(service);
    const execStart = unit.split('\n').find((line) => line.startsWith('ExecStart=')) ?? '';
    // The program's path is taken as written ($ included); in the arguments $$ stands for $.
    expect(systemdWords(execStart, false)[0]).toBe(service.command[0]);
    expect(systemdWords(execStart, true).slice(1)).toEqual(service.command.slice(1));
    const environment = unit.split('\n').filter((line) => line.startsWith('Environment=')).flatMap((line) => systemdWords(line, false));
    expect(environment).toEqual([`ROLECALL_HOME=${join(dir, 'data 100% "x" \\ $HOME')}`, 'AWS_SHARED_CREDENTIALS_FILE=/c/credentials']);
  });

  it('is marked as Rolecall\'s, restarts the agent only when it fails and starts with the user\'s session', () => {
    const unit = systemdUnit({ command: ['/usr/bin/node', '/opt/rc/rolecall.mjs', 'agent', '--background'], environment: {} });
    expect(unit.split('\n')[0]).toBe(`# ${LOGIN_SERVICE_MARK}`);
    expect(unit).toContain('\nRestart=on-failure\n');
    expect(unit).toContain('\n[Install]\nWantedBy=default.target\n');
    expect(unit).not.toContain('Environment=');
  });

  it('refuses paths systemd cannot carry: line breaks anywhere, quotes or backslashes in the program', () => {
    expect(() => systemdUnit({ command: ['/usr/bin/node', '/opt/a\nb/rolecall.mjs', 'agent'], environment: {} })).toThrow(expect.objectContaining({ code: 'LOGIN_SERVICE_UNSAFE' }));
    expect(() => systemdUnit({ command: ['/usr/bin/node'], environment: { ROLECALL_HOME: '/data\r' } })).toThrow(expect.objectContaining({ code: 'LOGIN_SERVICE_UNSAFE' }));
    expect(() => systemdUnit({ command: ['/opt/it\'s/node', '/x.mjs'], environment: {} })).toThrow(expect.objectContaining({ code: 'LOGIN_SERVICE_UNSAFE' }));
  });
});

describe('the macOS LaunchAgent', () => {
  /** Python's plistlib: an independent reader of Apple's XML property lists. */
  async function readPlist(text: string): Promise<unknown> {
    const path = join(dir, 'agent.plist');
    await writeFile(path, text);
    const { stdout } = await run('python3', ['-c', 'import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', path]);
    return JSON.parse(stdout) as unknown;
  }

  it('parses as a property list with the label, the command, the variables and restart on failure', async () => {
    const command = ['/Users/Jane Doe/.nvm/versions/node/v20.19.0/bin/node', '/Users/Jane Doe/Tools & <more>/rolecall.mjs', 'agent', '--background'];
    const environment = { ROLECALL_HOME: '/Users/Jane Doe/Rolecall "work"', AWS_CONFIG_FILE: "/Users/Jane Doe/.aws/config's" };
    expect(await readPlist(launchAgentPlist({ command, environment }))).toEqual({
      Label: LAUNCH_AGENT_LABEL,
      ProgramArguments: command,
      EnvironmentVariables: environment,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: 'Background',
    });
  });

  it('leaves out EnvironmentVariables when nothing needs carrying, and is marked as Rolecall\'s', async () => {
    const text = launchAgentPlist({ command: ['/usr/local/bin/node', '/opt/rc/rolecall.mjs', 'agent', '--background'], environment: {} });
    expect(text).toContain(`<!-- ${LOGIN_SERVICE_MARK} -->`);
    expect(await readPlist(text)).not.toHaveProperty('EnvironmentVariables');
  });

  it('keeps any printable value intact through XML', async () => {
    const values = fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter(printable), 40);
    const command = ['/usr/bin/node', ...values];
    expect(await readPlist(launchAgentPlist({ command, environment: {} }))).toMatchObject({ ProgramArguments: command });
  });
});

describe('the Windows Run entry', () => {
  const service: LoginService = {
    command: ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\Jane Doe\\AppData\\Roaming\\npm\\node_modules\\rolecall\\bin\\rolecall.mjs', 'agent', '--background'],
    environment: {},
  };

  it('quotes paths with spaces so Windows splits the entry back into the same command', () => {
    const value = windowsRunCommand(service);
    expect(value).toBe('"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\Jane Doe\\AppData\\Roaming\\npm\\node_modules\\rolecall\\bin\\rolecall.mjs" agent --background');
    expect(windowsArgv(value)).toEqual(service.command);
  });

  it('gives reg.exe the whole entry as one argument, quoted right on the printed command line', () => {
    const args = windowsRegAddArgs(service);
    expect(args).toEqual(['add', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'RolecallAgent', '/t', 'REG_SZ', '/d', windowsRunCommand(service), '/f']);
    const printed = windowsCommandLine(['reg', ...args]);
    expect(windowsArgv(printed)).toEqual(['reg', ...args]);
    expect(windowsArgv(windowsArgv(printed)[8] ?? '')).toEqual(service.command);
  });

  it('round-trips any argument, quotes and trailing backslashes included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }).filter(printable), { minLength: 1, maxLength: 5 }), (args) => {
        expect(windowsArgv(windowsCommandLine(args))).toEqual(args);
      }),
      { numRuns: 500 },
    );
  });
});
