// UI and agent preferences. They live in their own file, so they answer even while the profile store
// cannot be read.
import type { Settings } from '../../shared/model';
import type { OperationContext } from './context';
import type { AgentHandlers } from './handler-table';

export function settingsOperations({ settings, emit }: Pick<OperationContext, 'settings' | 'emit'>): AgentHandlers<'settings.get' | 'settings.set'> {
  return {
    async 'settings.get'() {
      return settings.read();
    },
    async 'settings.set'(changes) {
      const next: Settings = await settings.update((current) => ({
        ...current,
        ...(changes.startAtLogin !== undefined && { startAtLogin: changes.startAtLogin }),
        ...(changes.notifications !== undefined && { notifications: changes.notifications }),
        ...(changes.defaultShell !== undefined && { defaultShell: changes.defaultShell }),
        ...(changes.requestTimeoutSeconds !== undefined && { requestTimeoutSeconds: changes.requestTimeoutSeconds }),
        ...(changes.renewWithSameKey !== undefined && { renewWithSameKey: changes.renewWithSameKey }),
      }));
      emit('settings.changed', next);
      return next;
    },
  };
}
