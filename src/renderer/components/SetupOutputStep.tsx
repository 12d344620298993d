// The wizard's AWS-side step: the role (name, managed policies, session length), then how the AWS side
// is made: created now (in the local sandbox or with an AWS CLI profile, after a look at every resource),
// or written as a CloudFormation template or AWS CLI commands.
import { useEffect, useState, type FormEvent } from 'react';
import type { OperationInput } from '../../shared/contract';
import type { ProblemView, SetupPreview, SetupResult, SetupText as SetupTextView } from '../../shared/model';
import { REGION_PATTERN } from '../../shared/patterns';
import type { SetupRoleCheck, SetupRoleText } from '../format/setup-role';
import { attempt } from '../api';
import { useAction } from '../hooks/useAction';
import { ChoiceGroup, TextField } from './Fields';
import { SetupRoleFields } from './SetupRoleFields';
import { SetupText } from './SetupText';

type SetupRequest = OperationInput<'setup.preview'>;
type Target = OperationInput<'setup.apply'>['target'];
export type SetupOutput = 'create' | 'template' | 'commands';

interface SetupOutputStepProps {
  readonly formId: string;
  readonly request: SetupRequest;
  /** The preview the trust-policy step showed; redrawn here as the role fields change. */
  readonly preview: SetupPreview;
  readonly role: { readonly text: SetupRoleText; readonly check: SetupRoleCheck; readonly onText: (text: SetupRoleText) => void };
  readonly output: SetupOutput;
  readonly onOutput: (output: SetupOutput) => void;
  readonly onCreated: (result: SetupResult) => void;
  readonly onProblem: (problem: ProblemView | undefined) => void;
  readonly onBusy: (busy: boolean) => void;
}

export function SetupOutputStep({ formId, request, preview: previewBefore, role, output, onOutput, onCreated, onProblem, onBusy }: SetupOutputStepProps) {
  const [preview, setPreview] = useState(previewBefore);
  const [where, setWhere] = useState<Target['kind']>('sandbox');
  const [awsProfile, setAwsProfile] = useState('');
  const [region, setRegion] = useState('');
  const [written, setWritten] = useState<SetupTextView>();
  const [submitted, setSubmitted] = useState(false);
  const work = useAction(undefined, onProblem);
  useEffect(() => onBusy(work.busy), [work.busy, onBusy]);
  // The resources below name the role and its policies: asked again when valid role fields change them.
  const requestKey = JSON.stringify(request);
  useEffect(() => {
    if (role.check.role === undefined) return;
    let current = true;
    void attempt((api) => api.setup.preview(request)).then((outcome) => {
      if (!current) return;
      if (outcome.ok) setPreview(outcome.value);
      else onProblem(outcome.problem);
    });
    return () => {
      current = false;
    };
    // requestKey stands for the request, which is a new object at each render of the wizard.
  }, [requestKey]);

  const needsTarget = output !== 'template';
  const profileProblem = needsTarget && where === 'aws' && awsProfile.trim() === '' ? 'Give the AWS CLI profile whose credentials create the resources.' : undefined;
  const regionProblem = needsTarget && where === 'aws' && !REGION_PATTERN.test(region.trim()) ? 'Give the Roles Anywhere region, such as eu-west-1.' : undefined;
  const target: Target = where === 'sandbox' ? { kind: 'sandbox' } : { kind: 'aws', awsProfile: awsProfile.trim(), region: region.trim() };

  const choose = (next: SetupOutput) => {
    setWritten(undefined);
    onProblem(undefined);
    onOutput(next);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    onProblem(undefined);
    if (profileProblem || regionProblem || role.check.role === undefined) return;
    if (output === 'create') {
      const result = await work.run((api) => api.setup.apply({ ...request, target }));
      if (result) onCreated(result);
      return;
    }
    const text = await work.run((api) => (output === 'template' ? api.setup.template(request) : api.setup.commands({ ...request, target })));
    if (text) setWritten(text);
  };

  return (
    <form id={formId} className="editor" onSubmit={(event) => void onSubmit(event)} noValidate>
      <SetupRoleFields
        text={role.text}
        problems={role.check.problems}
        onText={(text) => {
          setWritten(undefined);
          role.onText(text);
        }}
      />
      <ChoiceGroup<SetupOutput>
        legend="How the AWS side is made"
        name="output"
        value={output}
        onValue={choose}
        choices={[
          { value: 'create', label: 'Create it now', explanation: 'Rolecall creates the resources below, then adds the profile here and switches it on.' },
          { value: 'template', label: 'CloudFormation template', explanation: 'A stack for you or whoever runs your AWS account to deploy.' },
          { value: 'commands', label: 'AWS CLI commands', explanation: 'aws rolesanywhere and aws iam lines to paste into a terminal.' },
        ]}
      />
      {needsTarget && (
        <ChoiceGroup<Target['kind']>
          legend={output === 'create' ? 'Where' : 'For'}
          name="target"
          value={where}
          onValue={(next) => {
            setWritten(undefined);
            setWhere(next);
          }}
          choices={[
            { value: 'sandbox', label: 'The local sandbox', explanation: 'The stand-in for Roles Anywhere and IAM on this computer. Nothing reaches AWS.' },
            { value: 'aws', label: 'My AWS account', explanation: 'With the credentials of an AWS CLI profile allowed to create roles and Roles Anywhere resources.' },
          ]}
        />
      )}
      {needsTarget && where === 'aws' && (
        <div className="field-grid">
          <TextField label="AWS CLI profile" value={awsProfile} onValue={setAwsProfile} error={submitted ? profileProblem : undefined} spellCheck={false} autoComplete="off" placeholder="admin" />
          <TextField label="Region" value={region} onValue={setRegion} error={submitted ? regionProblem : undefined} spellCheck={false} autoComplete="off" placeholder="eu-west-1" />
        </div>
      )}
      {output === 'create' && role.check.role !== undefined && (
        <section className="setup-resources" aria-label="What will be created">
          <h3>What will be created</h3>
          <dl className="facts">
            {preview.resources.map((resource) => (
              <div key={resource.kind} className="facts-row">
                <dt>{resource.kind}</dt>
                <dd>
                  <span className="mono">{resource.name}</span>
                  <br />
                  <span className="muted">{resource.detail}</span>
                </dd>
              </div>
            ))}
          </dl>
          <p className="field-note">
            Each is tagged <span className="mono">{preview.tag}</span>; those that exist already with the same settings are reused. The trust policy is the one shown in the previous step.
          </p>
        </section>
      )}
      {written && (
        <>
          <SetupText label={output === 'template' ? 'CloudFormation template' : 'AWS CLI commands'} text={written.text} fileName={written.fileName} onProblem={onProblem} />
          {written.next && (
            <p className="setup-next">
              Deploy it with <span className="mono">{written.next}</span>, then add the profile with the ARNs from the stack&apos;s outputs.
            </p>
          )}
        </>
      )}
    </form>
  );
}
