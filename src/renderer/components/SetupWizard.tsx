// "Set up Roles Anywhere": from nothing to an active profile in four steps, the way `rolecall
// certificate`, `rolecall ca` and `rolecall setup aws` go in a terminal: (1) a key born in the keychain
// and its certificate (from a Rolecall CA, or a request another CA signs), (2) the trust policy with a box
// per principal tag, (3) the role's name, permissions and session length, and the AWS side created now or
// written as a template or commands, (4) the result.
// All the work happens in the agent; the window only ever sees public material.
import { useCallback, useId, useState } from 'react';
import type { CertificateRequestView, ProblemView, ProfileView, SetupPreview, SetupResult } from '../../shared/model';
import { checkSetupRole, setupRoleDefaults, type SetupRoleText } from '../format/setup-role';
import { Banner } from './Banner';
import { Dialog } from './Dialog';
import { SetupKeyStep, type MadeKey } from './SetupKeyStep';
import { SetupOutputStep, type SetupOutput } from './SetupOutputStep';
import { SetupPolicyStep } from './SetupPolicyStep';
import { SetupRequestStep, type SetupCa } from './SetupRequestStep';
import { SetupResultView } from './SetupResultView';

interface SetupWizardProps {
  readonly onClose: () => void;
  /** The profile the setup added and activated. */
  readonly onDone: (profile: ProfileView) => void;
}

type Step =
  | { readonly kind: 'key' }
  | { readonly kind: 'request'; readonly name: string; readonly request: CertificateRequestView }
  | { readonly kind: 'policy' | 'output'; readonly name: string; readonly certificate: CertificateRequestView; readonly ca: SetupCa }
  | { readonly kind: 'done'; readonly certificate: CertificateRequestView; readonly result: SetupResult };

const STEP_TITLES = ['Certificate', 'Trust policy', 'AWS side', 'Done'] as const;
const STEP_NUMBER: Record<Step['kind'], number> = { key: 0, request: 0, policy: 1, output: 2, done: 3 };

export function SetupWizard({ onClose, onDone }: SetupWizardProps) {
  const formId = useId();
  const [step, setStep] = useState<Step>({ kind: 'key' });
  const [problem, setProblem] = useState<ProblemView>();
  const [busy, setBusy] = useState(false);
  const [tags, setTags] = useState<readonly string[]>();
  const [preview, setPreview] = useState<SetupPreview>();
  const [output, setOutput] = useState<SetupOutput>('create');
  // Set on the way to the AWS-side step, from the role name the preview gave (the CLI's default).
  const [roleText, setRoleText] = useState<SetupRoleText>();
  const roleCheck = roleText && checkSetupRole(roleText);
  const onProblem = useCallback((next: ProblemView | undefined) => setProblem(next), []);
  const onBusy = useCallback((next: boolean) => setBusy(next), []);
  const onPreview = useCallback((next: SetupPreview | undefined, chosen: readonly string[] | undefined) => {
    setPreview(next);
    setTags(chosen);
  }, []);

  const onMade = ({ name, certificate, ca }: MadeKey) => {
    setProblem(undefined);
    setStep(ca === undefined ? { kind: 'request', name, request: certificate } : { kind: 'policy', name, certificate, ca: { kind: 'rolecall-ca', name: ca } });
  };

  const request =
    step.kind === 'policy' || step.kind === 'output'
      ? { name: step.name, certificate: step.certificate.name, ca: step.ca, ...(tags !== undefined && { tags: [...tags] }), ...roleCheck?.role }
      : undefined;
  const current = STEP_NUMBER[step.kind];

  const primary = (label: string, busyLabel: string, disabled = false) => (
    <button type="submit" form={formId} className="button primary" disabled={disabled} aria-busy={busy || undefined} aria-disabled={busy || undefined}>
      {busy ? busyLabel : label}
    </button>
  );

  return (
    <Dialog
      title="Set up Roles Anywhere"
      variant="sheet"
      onClose={onClose}
      footer={
        <>
          {step.kind === 'output' ? (
            <button type="button" className="button" onClick={() => setStep({ ...step, kind: 'policy' })}>
              Back
            </button>
          ) : (
            step.kind !== 'done' && (
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
            )
          )}
          {step.kind === 'key' && primary('Create key', 'Creating…')}
          {step.kind === 'request' && primary('Import certificate', 'Importing…')}
          {step.kind === 'policy' && (
            <button
              type="button"
              className="button primary"
              disabled={preview === undefined}
              onClick={() => {
                const roleName = preview?.resources.find((resource) => resource.kind === 'IAM role')?.name;
                if (roleText === undefined && roleName !== undefined) setRoleText(setupRoleDefaults(roleName));
                setStep({ ...step, kind: 'output' });
              }}
            >
              Next
            </button>
          )}
          {step.kind === 'output' &&
            primary(output === 'create' ? 'Create and switch on' : output === 'template' ? 'Write template' : 'Write commands', output === 'create' ? 'Creating…' : 'Writing…', roleCheck?.role === undefined)}
          {step.kind === 'done' && (
            <button type="button" className="button primary" onClick={() => onDone(step.result.profile)}>
              Done
            </button>
          )}
        </>
      }
    >
      <ol className="setup-steps" aria-label="Steps">
        {STEP_TITLES.map((title, index) => (
          <li key={title} className={index < current ? 'setup-step-done' : index === current ? 'setup-step-current' : undefined} aria-current={index === current ? 'step' : undefined}>
            <span className="setup-step-number">{index + 1}</span>
            {title}
          </li>
        ))}
      </ol>
      {problem && <Banner kind="error" problem={problem} onDismiss={() => setProblem(undefined)} />}
      {step.kind === 'key' && <SetupKeyStep formId={formId} onMade={onMade} onProblem={onProblem} onBusy={onBusy} />}
      {step.kind === 'request' && (
        <SetupRequestStep
          formId={formId}
          request={step.request}
          onImported={(certificate, ca) => {
            setProblem(undefined);
            setStep({ kind: 'policy', name: step.name, certificate, ca });
          }}
          onProblem={onProblem}
          onBusy={onBusy}
        />
      )}
      {step.kind === 'policy' && request && <SetupPolicyStep request={request} onPreview={onPreview} onProblem={onProblem} />}
      {step.kind === 'output' && request && preview && roleText && roleCheck && (
        <SetupOutputStep
          formId={formId}
          request={request}
          preview={preview}
          role={{ text: roleText, check: roleCheck, onText: setRoleText }}
          output={output}
          onOutput={setOutput}
          onCreated={(result) => {
            setProblem(undefined);
            setStep({ kind: 'done', certificate: step.certificate, result });
          }}
          onProblem={onProblem}
          onBusy={onBusy}
        />
      )}
      {step.kind === 'done' && <SetupResultView certificate={step.certificate} result={step.result} />}
    </Dialog>
  );
}
