// A laptop's whole day on a virtual clock (issue 8, "the proof"): 24 simulated hours, 20 profiles in
// two regions through the real composition root, every fault the sandbox has, an agent kill every two
// hours, a certificate that ends at noon, NTP steps both ways and a three-hour suspend. See
// tests/soak/day.ts for how each figure is measured; tests/soak/day.test.ts runs three hours of it.
//
// The keychain is an in-memory SecretStore: `npm run bench` runs outside the test D-Bus session, and a
// benchmark must not write into the developer's own keychain (a real one costs ~3 ms a call, nothing
// against these figures). The short test uses the real keychain.
import { MemorySecretStore } from '../tests/helpers/memory-secret-store';
import { runDay, wholeDay } from '../tests/soak/day';
import { reportFigure } from './report';

const figures = await runDay({ plan: wholeDay(), secrets: new MemorySecretStore(), progress: (line) => console.log(`  ${line}`) });

console.log(`\n${figures.simulatedHours} simulated hours, ${figures.profiles} profiles, ${figures.restarts} agent kills, in ${figures.realSeconds.toFixed(1)} s`);
console.log(`CreateSession answers: ${JSON.stringify(figures.requests.byStatus)}; faults injected: ${JSON.stringify(figures.requests.faults)}`);
for (const line of figures.expiredSamples) console.log(`  expired: ${line}`);
for (const line of figures.overBound) console.log(`  over bound: ${line}`);

reportFigure({ name: 'day: seconds a delivered credential was expired while the service answered', value: figures.expiredSeconds, unit: 's', goal: '0', holds: figures.expiredSeconds === 0 });
reportFigure({ name: 'day: activations lost over agent kills', value: figures.activationsLost, goal: '0', holds: figures.activationsLost === 0 });
reportFigure({
  name: 'day: CreateSession calls per profile-hour (mean)',
  value: figures.createSessionsPerProfileHour.mean,
  goal: 'each profile ≤ 1.5 × (refresh cycles + restarts + 1)',
  holds: figures.overBound.length === 0,
});
reportFigure({ name: 'day: CreateSession calls per profile-hour (busiest profile)', value: figures.createSessionsPerProfileHour.max });
reportFigure({ name: 'day: most CreateSession calls by one profile in one minute', value: figures.maxCallsInOneMinute });
reportFigure({ name: 'day: longest stale state shown by a profile', value: figures.longestStaleSeconds, unit: 's' });
reportFigure({ name: 'day: longest catch-up after a resume or clock step', value: figures.longestCatchUpSeconds, unit: 's', goal: '≤ 120 s', holds: figures.longestCatchUpSeconds <= 120 });
const noon = figures.noonProfile;
reportFigure({
  name: 'day: profile whose certificate ended at noon',
  value: `${noon.finalStatus} (${noon.lastErrorCode ?? 'no error'}), ${noon.expiredSecondsBeforeNoon} s expired before noon`,
  goal: 'failed (CERT_EXPIRED), 0 s before noon',
  holds: noon.finalStatus === 'failed' && noon.lastErrorCode === 'CERT_EXPIRED' && noon.expiredSecondsBeforeNoon === 0,
});
reportFigure({ name: 'day: session secrets in the agent log', value: figures.secretsInLog, goal: '0', holds: figures.secretsInLog === 0 });
