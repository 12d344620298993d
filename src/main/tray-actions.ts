// What a tray click does: most clicks are a contract operation, two are about the app itself.
import type { OperationName } from '../shared/contract';
import type { TrayAction } from './tray-menu';

export type TrayCommand =
  | { readonly kind: 'operation'; readonly operation: OperationName; readonly input: Readonly<Record<string, unknown>> }
  | { readonly kind: 'open' }
  | { readonly kind: 'quit' };

export function trayCommand(action: TrayAction): TrayCommand {
  switch (action.kind) {
    case 'activate':
      return { kind: 'operation', operation: 'sessions.activate', input: { name: action.name } };
    case 'deactivate':
      return { kind: 'operation', operation: 'sessions.deactivate', input: { name: action.name } };
    case 'refresh':
      return { kind: 'operation', operation: 'sessions.refresh', input: { name: action.name } };
    case 'refreshAll':
      return { kind: 'operation', operation: 'sessions.refreshAll', input: {} };
    case 'copyEnv':
      return { kind: 'operation', operation: 'env.copy', input: { name: action.name, shell: action.shell } };
    case 'console':
      return { kind: 'operation', operation: 'console.open', input: { name: action.name } };
    case 'open':
    case 'quit':
      return { kind: action.kind };
  }
}
