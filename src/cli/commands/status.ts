// `rolecall status [--json] [--watch]`: every profile with its session state; --watch follows the
// agent's events and redraws until interrupted.
import type { AgentClient } from '../../core/agent/client';
import { applyEvent } from '../../shared/apply-event';
import type { AgentEvent } from '../../shared/contract';
import { RolecallError } from '../../shared/errors';
import type { CertificateRenewalView, ProfileView } from '../../shared/model';
import { EXIT_CODES_HELP, formatHelp, parseCommandArgs } from '../args';
import { createTerminalOutput, type TerminalOutput } from '../output';
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
  // An open connection keeps the process alive: close it on every way out, errors included.
  try {
    const state = await agent.call('state.get', {});
    if (!values.watch) {
      process.stdout.write(values.json ? `${JSON.stringify(state.profiles, null, 2)}\n` : profileTable(state.profiles, Date.now(), out));
      return 0;
    }
    return await watch(agent, state.profiles, values.json === true, out);
  } finally {
    await agent.close();
  }
}

const MAX_RENEWAL_LINES = 5;

/** One line under the table for the agent's `certificate.renewal` event. */
export function renewalLine(event: CertificateRenewalView): string {
  const at = event.at.slice(0, 16).replace('T', ' ');
  if (event.outcome === 'renewed') {
    const using = event.profiles.length === 0 ? '' : `; ${event.profiles.join(', ')} switched to it`;
    return `${at} certificate ${event.certificate} renewed by Rolecall CA ${event.ca}${event.newKey ? ' with a new key' : ''}, valid until ${event.notAfter}${using}`;
  }
  const problem = event.problem ? ` ${event.problem.message}${event.problem.detail ? ` (${event.problem.detail})` : ''} ${event.problem.next}` : '';
  return `${at} certificate ${event.certificate} cannot be renewed (it ends ${event.notAfter}):${problem}`;
}

async function watch(agent: AgentClient, profiles: readonly ProfileView[], json: boolean, out: TerminalOutput): Promise<number> {
  // The contract's schemas check each event from the agent: loaded here, not for a plain `status` (zod is a slow load).
  const { parseEvent } = await import('../../shared/contract');
  let shown: { readonly profiles: readonly ProfileView[] } = { profiles };
  /** The latest certificate renewals, said under the table while watching. */
  const renewals: string[] = [];
  const draw = () => {
    const table = profileTable([...shown.profiles].sort((a, b) => a.name.localeCompare(b.name)), Date.now(), out) + renewals.map((line) => `${line}\n`).join('');
    // Clear and redraw in a terminal; append in a pipe.
    process.stdout.write(process.stdout.isTTY ? `\u001b[H\u001b[2J${table}${out.dim('Watching; Ctrl-C to stop.')}\n` : table);
  };
  // Listening for Ctrl-C before the first output: a signal that arrives before a listener ends the process.
  let stop!: (reason: 'signal' | 'lost' | RolecallError) => void;
  const stopped = new Promise<'signal' | 'lost' | RolecallError>((resolve) => (stop = resolve));
  const onSignal = () => stop('signal');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  void agent.closed.then(() => stop('lost'));
  if (json) process.stdout.write(`${JSON.stringify({ event: 'state', profiles })}\n`);
  else draw();
  const unsubscribe = agent.subscribe((event, payload) => {
    let message: AgentEvent;
    try {
      message = parseEvent(event, payload);
    } catch (error) {
      // An agent that sends what this version cannot read: say so rather than show a wrong table.
      stop(error instanceof RolecallError ? error : new RolecallError('AGENT_INCOMPATIBLE'));
      return;
    }
    if (json) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      return;
    }
    shown = applyEvent(shown, message.event, message.payload);
    if (message.event === 'certificate.renewal') {
      renewals.push(renewalLine(message.payload));
      if (renewals.length > MAX_RENEWAL_LINES) renewals.shift();
    }
    draw();
  });
  // Time left changes every second even without events.
  const ticker = json || !process.stdout.isTTY ? undefined : setInterval(draw, 1000);
  const reason = await stopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (ticker) clearInterval(ticker);
  unsubscribe();
  // The agent went away (stopped, crashed, handed over): what is shown would go stale without saying so.
  if (reason === 'lost') throw new RolecallError('AGENT_CONNECTION_LOST');
  if (reason instanceof RolecallError) throw reason;
  return 0;
}
