// The packaging config and the files it names, checked without running electron-builder (which would
// download Electron): its own schema validation, the scripts' syntax, and the installed CLI wrapper
// run through a symlink from a mock install layout.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, PROJECT_ROOT } from '../helpers/cli';

const CONFIG_PATH = join(PROJECT_ROOT, 'build', 'electron-builder.yml');
const requireFromBuilder = createRequire(createRequire(join(PROJECT_ROOT, 'package.json')).resolve('electron-builder'));

interface FileSet {
  readonly from?: string;
  readonly to?: string;
  readonly filter?: readonly string[];
}

interface PlatformConfig {
  readonly target: unknown;
  readonly icon: string;
  readonly extraResources?: readonly FileSet[];
}

/** The parts of electron-builder's resolved configuration these tests read. */
interface BuilderConfig {
  readonly appId: string;
  readonly productName: string;
  readonly npmRebuild: boolean;
  readonly buildDependenciesFromSource: boolean;
  readonly files: readonly FileSet[];
  readonly extraResources?: readonly FileSet[];
  readonly linux: PlatformConfig;
  readonly mac: PlatformConfig;
  readonly win: PlatformConfig;
  readonly deb: { readonly afterInstall: string; readonly afterRemove: string };
  readonly electronFuses?: Readonly<Record<string, boolean>>;
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string, options: null): Promise<Record<string, unknown>>;
    validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = requireFromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(PROJECT_ROOT, CONFIG_PATH, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config as unknown as BuilderConfig;
}

interface FuseTools {
  /** electron-builder's own translation of `electronFuses` into @electron/fuses' config. */
  generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>>;
  flipFuses(path: string, config: Record<string, unknown>): Promise<number>;
  getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
  readonly SENTINEL: string;
  readonly FuseV1Options: Readonly<Record<string, number | string>>;
}

function fuseTools(): FuseTools {
  const { PlatformPackager } = requireFromBuilder('app-builder-lib') as {
    PlatformPackager: { prototype: { generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>> } };
  };
  // The same copy of @electron/fuses electron-builder flips the binary with.
  const fromLib = createRequire(requireFromBuilder.resolve('app-builder-lib'));
  const fuses = fromLib('@electron/fuses') as Omit<FuseTools, 'generateFuseConfig' | 'SENTINEL'>;
  const { SENTINEL } = fromLib('@electron/fuses/dist/constants.js') as { SENTINEL: string };
  return { ...fuses, SENTINEL, generateFuseConfig: (config) => PlatformPackager.prototype.generateFuseConfig.call(undefined, config) };
}

/** Electron's own defaults, as its binary ships them: '1' on, '0' off. */
const ELECTRON_DEFAULT_WIRE = '10110001';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('build/electron-builder.yml', () => {
  it('passes electron-builder\'s own schema and says what the issue asks', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('dev.rolecall.app');
    expect(config.productName).toBe('Rolecall');
    expect(config.npmRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.files[0]?.filter).toEqual(expect.arrayContaining(['out/**', 'dist/cli/**', 'bin/**', 'package.json']));
    expect(config.linux.target).toEqual(['deb', 'AppImage']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
  });

  it('names files that exist', async () => {
    const config = await loadConfig();
    const paths: string[] = [config.deb.afterInstall, config.deb.afterRemove, config.linux.icon, config.mac.icon, config.win.icon];
    for (const platform of [config, config.linux, config.mac, config.win]) {
      for (const set of platform.extraResources ?? []) if (set.from) paths.push(set.from);
    }
    for (const path of paths) expect(existsSync(join(PROJECT_ROOT, path)), path).toBe(true);
  });

  it('has install scripts that are valid bash once electron-builder fills in its macros', async () => {
    const config = await loadConfig();
    for (const script of [config.deb.afterInstall, config.deb.afterRemove]) {
      const text = readFileSync(join(PROJECT_ROOT, script), 'utf8');
      const filled = text.replace(/\$\{([a-zA-Z]+)\}/g, (_match, name: string) => {
        const macros: Record<string, string> = { executable: 'rolecall-app', sanitizedProductName: 'Rolecall' };
        if (!(name in macros)) throw new Error(`${script} uses \${${name}}, which electron-builder would reject`);
        return macros[name] ?? '';
      });
      expect(filled).toContain("'/usr/bin/rolecall'");
      const check = spawnSync('bash', ['-n'], { input: filled, encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
  });
});

describe('Electron fuses', () => {
  it('sets every fuse, turning off all that Rolecall does not need', async () => {
    const { electronFuses } = await loadConfig();
    expect(electronFuses).toEqual({
      runAsNode: true,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: true,
    });
  });

  it('keeps RunAsNode on exactly while the installed CLI runs the app binary in Node mode', async () => {
    const { electronFuses } = await loadConfig();
    const wrappers = ['rolecall', 'rolecall.cmd'].map((name) => readFileSync(join(PROJECT_ROOT, 'build', 'bin', name), 'utf8'));
    const cliNeedsNodeMode = wrappers.some((wrapper) => /ELECTRON_RUN_AS_NODE=1/.test(wrapper));
    expect(electronFuses?.runAsNode).toBe(cliNeedsNodeMode);
  });

  it('keeps the file:// privileges on exactly while the window is loaded from a file', async () => {
    const { electronFuses } = await loadConfig();
    const loadsFromFile = /\.loadFile\(/.test(readFileSync(join(PROJECT_ROOT, 'src', 'main', 'main-window.ts'), 'utf8'));
    expect(electronFuses?.grantFileProtocolExtraPrivileges).toBe(loadsFromFile);
  });

  it('are written into a binary\'s fuse wire the way electron-builder flips them, all eight set', async () => {
    const { electronFuses } = await loadConfig();
    const tools = fuseTools();
    const dir = mkdtempSync(join(tmpdir(), 'rolecall-fuses-'));
    temps.push(dir);
    // Stands in for the Electron binary: the fuse wire is the sentinel, version 1, length 8, one byte per fuse.
    const binary = join(dir, 'rolecall-app');
    writeFileSync(binary, Buffer.concat([Buffer.from('ELF…'), Buffer.from(tools.SENTINEL), Buffer.from([1, 8]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('…')]));
    const config = await tools.generateFuseConfig(electronFuses);
    // Fails when a fuse is left to Electron's default (one this version of the config does not know).
    expect(await tools.flipFuses(binary, { ...config, strictlyRequireAllFuses: true })).toBe(1);
    const wire = await tools.getCurrentFuseWire(binary);
    const states = Object.fromEntries(
      Object.entries(electronFuses ?? {}).map(([key]) => {
        // electron-builder's keys are @electron/fuses' option names in camel case.
        const index = tools.FuseV1Options[key.charAt(0).toUpperCase() + key.slice(1)];
        return [key, wire[String(index)] === '1'.charCodeAt(0)];
      }),
    );
    expect(states).toEqual(electronFuses);
  });
});

describe('the installed rolecall command', () => {
  it('runs the bundled CLI through a symlink, with the app binary in Node mode', () => {
    assertCliBuilt();
    const root = mkdtempSync(join(tmpdir(), 'rolecall-install-'));
    temps.push(root);
    const app = join(root, 'opt', 'Rolecall');
    const unpacked = join(app, 'resources', 'app.asar.unpacked');
    mkdirSync(join(app, 'resources', 'bin'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'bin'), join(unpacked, 'bin'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'dist', 'cli'), join(unpacked, 'dist', 'cli'), { recursive: true });
    // Stands in for Electron: with ELECTRON_RUN_AS_NODE=1 it is Node.
    writeFileSync(join(app, 'rolecall-app'), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "not in node mode" >&2; exit 3; }\nexec "${process.execPath}" "$@"\n`);
    chmodSync(join(app, 'rolecall-app'), 0o755);
    const wrapper = join(app, 'resources', 'bin', 'rolecall');
    copyFileSync(join(PROJECT_ROOT, 'build', 'bin', 'rolecall'), wrapper);
    expect(statSync(join(PROJECT_ROOT, 'build', 'bin', 'rolecall')).mode & 0o111).not.toBe(0);
    chmodSync(wrapper, 0o755);
    mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
    symlinkSync(wrapper, join(root, 'usr', 'bin', 'rolecall'));

    const viaLink = spawnSync(join(root, 'usr', 'bin', 'rolecall'), ['--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root } });
    const direct = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'rolecall.mjs'), '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root } });
    expect(viaLink.stderr).toBe(direct.stderr);
    expect(viaLink.status).toBe(direct.status);
    expect(viaLink.stdout).toBe(direct.stdout);
    expect(viaLink.stdout).toContain('rolecall');
  });

  it('ships a Windows wrapper with CRLF line ends that runs the app binary in Node mode', () => {
    const cmd = readFileSync(join(PROJECT_ROOT, 'build', 'bin', 'rolecall.cmd'), 'utf8');
    expect(cmd.split('\r\n').length).toBeGreaterThan(3);
    expect(cmd.replace(/\r\n/g, '')).not.toContain('\n');
    expect(cmd).toContain('set ELECTRON_RUN_AS_NODE=1');
    expect(cmd).toContain('"%~dp0..\\..\\Rolecall.exe" "%~dp0..\\app.asar.unpacked\\bin\\rolecall.mjs" %*');
  });
});
