// Agent resume after a restart (issue 8): 20 profiles active with 1 h sessions in the credentials file,
// the agent SIGKILLed, then timed from spawning a new `rolecall agent` to its first answer (the agent
// resumes every activation before it answers) and to the first `state.get` answer — what
// `rolecall status` asks — that shows all 20 active. Nothing is due, so no session should be minted.
// BENCH_RESUME_ROUNDS restarts (default 5).
import type { ChildProcess } from 'node:child_process';
import { createAgentWorld } from './agent-world';
import { inPrivateKeyring } from './private-keyring';
import { reportFigure } from './report';
import { ms, percentile, table } from './stats';

inPrivateKeyring();
const PROFILES = 20;
const ROUNDS = Number(process.env.BENCH_RESUME_ROUNDS ?? '5');
const GIVE_UP_MS = 30_000;
const names = Array.from({ length: PROFILES }, (_, i) => `resume-${String(i).padStart(2, '0')}`);

const world = await createAgentWorld();
const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
try {
  let agent = world.spawnAgent();
  const setup = await world.connect();
  await world.addProfiles(setup, names);
  for (const name of names) await setup.call('sessions.activate', { name });
  await setup.close();

  const firstAnswer: number[] = [];
  const allActive: number[] = [];
  let lost = 0;
  let minted = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    await killed(agent);
    const mintsBefore = world.sandbox.requests.count('CreateSession');
    const started = performance.now();
    agent = world.spawnAgent();
    const client = await world.connect();
    let state = await client.call('state.get', {});
    firstAnswer.push(performance.now() - started);
    const active = () => state.profiles.filter((profile) => names.includes(profile.name) && profile.status === 'active').length;
    while (active() < PROFILES && performance.now() - started < GIVE_UP_MS) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      state = await client.call('state.get', {});
    }
    allActive.push(performance.now() - started);
    lost += PROFILES - active();
    minted += world.sandbox.requests.count('CreateSession') - mintsBefore;
    await client.close();
    // Lost activations are activated again, so each round starts from 20 active.
    if (active() < PROFILES) {
      const again = await world.connect();
      for (const profile of state.profiles) if (names.includes(profile.name) && profile.status !== 'active') await again.call('sessions.activate', { name: profile.name });
      await again.close();
    }
  }
  console.log(`${ROUNDS} restarts (SIGKILL, then a new rolecall agent) with ${PROFILES} active profiles, 1 h sessions.`);
  console.log(table(
    ['measure', 'p50', 'max'],
    [
      ['spawn to the first answer', ms(percentile(firstAnswer, 50)), ms(Math.max(...firstAnswer))],
      [`spawn to an answer showing all ${PROFILES} active`, ms(percentile(allActive, 50)), ms(Math.max(...allActive))],
    ],
  ));
  console.log(`activations lost: ${lost}; sessions minted while resuming: ${minted}`);
  reportFigure({ name: `agent resume with ${PROFILES} active profiles: spawn to status showing all active, p50`, value: percentile(allActive, 50), unit: 'ms' });
  reportFigure({ name: `agent resume with ${PROFILES} active profiles: spawn to status showing all active, max`, value: Math.max(...allActive), unit: 'ms' });
  reportFigure({ name: `agent resume: activations lost over ${ROUNDS} restarts`, value: lost, goal: '0', holds: lost === 0 });
  reportFigure({ name: 'agent resume: sessions minted when nothing was due', value: minted, goal: '0', holds: minted === 0 });
} finally {
  await world.close();
}
