// Activations are durable: what the user activated in an earlier run (before a crash, a stop, an upgrade
// or a reboot) is taken up again before the agent answers anyone, and a delivery left behind by a
// deactivation that was cut short is withdrawn.
import { isRolecallError } from '../../shared/errors';
import type { Logger } from '../log';
import type { ProfileDelivery, ProfileRepository } from '../profiles';
import type { SessionManager } from '../sessions';
import type { ProfileDirectory } from './profile-directory';

export interface ResumeOptions {
  readonly repository: ProfileRepository;
  readonly directory: ProfileDirectory;
  readonly sessions: SessionManager;
  readonly delivery: ProfileDelivery;
  readonly logger: Logger;
}

export async function resumeActivations({ repository, directory, sessions, delivery, logger }: ResumeOptions): Promise<void> {
  const [activations, records] = await Promise.all([repository.activations(), repository.deliveries()]);
  const active = new Set(activations.map((activation) => activation.name));
  await Promise.all([
    ...activations.filter((activation) => directory.has(activation.name)).map((activation) => sessions.resume(activation.name, { deliveredBefore: records.some((record) => record.name === activation.name) })),
    ...records.filter((record) => !active.has(record.name)).map(async (record) => {
      try {
        await delivery.withdraw(record.name);
        logger.info('withdrew a delivery left by an interrupted deactivation', { profile: record.name });
      } catch (error) {
        logger.warn('could not withdraw a delivery left behind', { profile: record.name, code: isRolecallError(error) ? error.code : 'INTERNAL' });
      }
    }),
  ]);
  if (activations.length > 0) logger.info('resumed activations', { count: activations.length });
  sessions.recheck();
}
