// Who may call each operation, without the schemas: the sandboxed preload builds window.rolecall from
// this table and must stay a small bundle with no dependency, so it cannot pull in zod with contract.ts.
//
// `exposure`:
//   both  — the renderer (through main) and socket clients (CLI, other tools of the user)
//   agent — socket clients only: the result carries secrets or only makes sense in a terminal
//   app   — the renderer only: it needs the desktop (dialogs, clipboard, file manager)

export type Exposure = 'both' | 'agent' | 'app';

export const OPERATION_EXPOSURE = {
  'state.get': 'both',
  'profiles.get': 'both',
  'profiles.add': 'both',
  'profiles.addFromToken': 'both',
  'profiles.edit': 'both',
  'profiles.rename': 'both',
  'profiles.remove': 'both',
  'profiles.explain': 'both',
  'drafts.open': 'both',
  'drafts.unlock': 'both',
  'drafts.fromCertificate': 'both',
  'drafts.forProfileKey': 'both',
  'sessions.activate': 'both',
  'sessions.deactivate': 'both',
  'sessions.refresh': 'both',
  'sessions.refreshAll': 'both',
  'sessions.givePin': 'both',
  'tokens.list': 'both',
  'credentials.get': 'agent',
  'env.render': 'agent',
  'env.copy': 'app',
  'endpoint.start': 'agent',
  'endpoint.stop': 'agent',
  'import.preview': 'both',
  'import.apply': 'both',
  'discover.list': 'both',
  'settings.get': 'both',
  'settings.set': 'both',
  'sandbox.startDemo': 'both',
  'sandbox.trustCa': 'agent',
  'sandbox.trustChosenCa': 'app',
  'files.chooseCertificate': 'app',
  'logs.openFolder': 'app',
  'timeline.get': 'both',
  'console.url': 'agent',
  'console.open': 'app',
  'agent.info': 'both',
  'agent.handOver': 'agent',
  'doctor.check': 'both',
  'certificates.list': 'both',
  'certificates.create': 'both',
  'certificates.import': 'both',
  'certificates.remove': 'both',
  'cas.list': 'both',
  'cas.create': 'both',
  'cas.issue': 'both',
  'setup.preview': 'both',
  'setup.template': 'both',
  'setup.commands': 'both',
  'setup.apply': 'both',
  'text.copy': 'app',
  'text.save': 'app',
} as const satisfies Record<string, Exposure>;

export type OperationName = keyof typeof OPERATION_EXPOSURE;

export const OPERATION_NAMES = Object.keys(OPERATION_EXPOSURE) as OperationName[];

export function operationsExposedTo(audience: 'renderer' | 'socket'): OperationName[] {
  const own: Exposure = audience === 'renderer' ? 'app' : 'agent';
  return OPERATION_NAMES.filter((name) => {
    const exposure: Exposure = OPERATION_EXPOSURE[name];
    return exposure === 'both' || exposure === own;
  });
}
