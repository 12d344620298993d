// `rolecall status [--json] [--watch]`: every profile with its session state; --watch follows the
// agent's events and redraws until interrupted.
import type { ProfileView } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput } from '../output';
import { profileTable } from '../profile-format';
import { connect } from '../runtime';

const HELP = formatHelp({
  usage: 'rolecall status [--json] [--watch]',
  summary: 'Show every profile: status, time left, delivery, role, region and the last problem.',
  options: [
    ['--json', 'Print the profiles as JSON (with --watch: one JSON object per line per change)'],
    ['--watch', 'Keep showing changes as the agent refreshes sessions (Ctrl-C to stop)'],
    ['--help', 'Show this help'],
  ],
  notes: [EXIT_CODES_HELP],
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, watch: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const out = createTerminalOutput(process.stdout);
  const agent = await connect();
  const state = await agent.call('state.get', {});
  if (!values.watch) {
    await agent.close();
    process.stdout.write(values.json ? `${JSON.stringify(state.profiles, null, 2)}\n` : profileTable(state.profiles, Date.now(), out));
    return 0;
  }
  const views = new Map<string, ProfileView>(state.profiles.map((view) => [view.name, view]));
  const draw = () => {
    const table = profileTable([...views.values()].sort((a, b) => a.name.localeCompare(b.name)), Date.now(), out);
    // Clear and redraw in a terminal; append in a pipe.
    process.stdout.write(process.stdout.isTTY ? `\u001b[H\u001b[2J${table}${out.dim('Watching; Ctrl-C to stop.')}\n` : table);
  };
  if (values.json) process.stdout.write(`${JSON.stringify({ event: 'state', profiles: state.profiles })}\n`);
  else draw();
  agent.subscribe((event, payload) => {
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ event, payload })}\n`);
      return;
    }
    if (event === 'profile.changed') views.set((payload as ProfileView).name, payload as ProfileView);
    if (event === 'profile.removed') views.delete((payload as { name: string }).name);
    draw();
  });
  // Time left changes every second even without events.
  const ticker = values.json || !process.stdout.isTTY ? undefined : setInterval(draw, 1000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    void agent.closed.then(resolve);
  });
  if (ticker) clearInterval(ticker);
  await agent.close();
  return 0;
}
