import { describe, expect, it } from 'vitest';
import { launchFlags } from '../../src/main/launch-flags';
import { trayCommand } from '../../src/main/tray-actions';
import { OPERATIONS } from '../../src/shared/contract';

describe('trayCommand', () => {
  it('maps profile clicks to contract operations with inputs their schemas accept', () => {
    const commands = [
      trayCommand({ kind: 'activate', name: 'dev' }),
      trayCommand({ kind: 'deactivate', name: 'dev' }),
      trayCommand({ kind: 'refresh', name: 'dev' }),
      trayCommand({ kind: 'refreshAll' }),
      trayCommand({ kind: 'copyEnv', name: 'dev', shell: 'powershell' }),
    ];
    expect(commands.map((command) => (command.kind === 'operation' ? command.operation : command.kind))).toEqual([
      'sessions.activate',
      'sessions.deactivate',
      'sessions.refresh',
      'sessions.refreshAll',
      'env.copy',
    ]);
    for (const command of commands) {
      if (command.kind !== 'operation') throw new Error('expected an operation');
      expect(OPERATIONS[command.operation].input.safeParse(command.input).success).toBe(true);
    }
  });

  it('keeps open and quit for the app itself', () => {
    expect(trayCommand({ kind: 'open' })).toEqual({ kind: 'open' });
    expect(trayCommand({ kind: 'quit' })).toEqual({ kind: 'quit' });
  });
});

describe('launchFlags', () => {
  it('finds --smoke and --hidden among Electron\'s own arguments', () => {
    expect(launchFlags(['/opt/Rolecall/rolecall', '--no-sandbox', '--hidden'])).toEqual({ smoke: false, hidden: true });
    expect(launchFlags(['/usr/lib/electron', '.', '--smoke'])).toEqual({ smoke: true, hidden: false });
    expect(launchFlags(['/opt/Rolecall/rolecall'])).toEqual({ smoke: false, hidden: false });
  });
});
