// `rolecall activate|deactivate|refresh NAME`: ask the agent to change a session, then show the result.
import { RolecallError } from '../../shared/errors';
import type { ProfileView } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput } from '../output';
import { profileTable } from '../profile-format';
import { withAgent } from '../runtime';
import { withTokenPin } from '../token-pin';

type Action = 'activate' | 'deactivate' | 'refresh';

const SUMMARIES: Record<Action, string> = {
  activate: 'Mint a session for the profile, deliver it (credentials file or credential_process) and keep it refreshed.',
  deactivate: 'Stop refreshing the profile and take back what was delivered (the AWS files are restored).',
  refresh: 'Mint a new session now (or for every active profile with --all).',
};

export function sessionCommand(action: Action) {
  const help = formatHelp({
    usage: action === 'refresh' ? 'rolecall refresh NAME | --all [--json]' : `rolecall ${action} NAME [--json]`,
    summary: SUMMARIES[action],
    options: [...(action === 'refresh' ? ([['--all', 'Every active profile']] as const) : []), ['--json', 'Print the profile as JSON'], ['--help', 'Show this help']],
    notes: [EXIT_CODES_HELP],
  });
  return async (argv: string[]): Promise<number> => {
    const { values, positionals } = parseCommandArgs(argv, { all: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const all = action === 'refresh' && values.all === true;
    const [name, ...extra] = positionals;
    if (all ? positionals.length > 0 : !name || extra.length > 0 || values.all) throw new RolecallError('USAGE', `give one profile name${action === 'refresh' ? ' or --all' : ''}`);
    const views: readonly ProfileView[] = await withAgent(async (agent) => {
      if (all) return agent.call('sessions.refreshAll', {});
      const op = action === 'activate' ? 'sessions.activate' : action === 'deactivate' ? 'sessions.deactivate' : 'sessions.refresh';
      if (op === 'sessions.deactivate') return [await agent.call(op, { name: name as string })];
      return [await withTokenPin(agent, name as string, () => agent.call(op, { name: name as string }))];
    });
    if (values.json) process.stdout.write(`${JSON.stringify(all ? views : views[0], null, 2)}\n`);
    else process.stdout.write(profileTable(views, Date.now(), createTerminalOutput(process.stdout)));
    const failed = views.some((view) => view.status === 'failed' || view.status === 'expired');
    if (failed) for (const view of views) if (view.lastError) process.stderr.write(`${view.name}: ${view.lastError.message} ${view.lastError.next}\n`);
    return failed ? 1 : 0;
  };
}

