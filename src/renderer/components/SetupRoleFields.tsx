// The wizard's role fields: the IAM role's name, the managed policies that give its sessions their
// permissions, and how long a session lasts, each refused beside the field as the CLI would refuse it.
import { useId } from 'react';
import { SESSION_DURATION_SECONDS } from '../../shared/limits';
import { EXAMPLE_POLICY_ARN, type SetupRoleCheck, type SetupRoleText } from '../format/setup-role';
import { formatDuration } from '../format/time';
import { TextField } from './Fields';

interface SetupRoleFieldsProps {
  readonly text: SetupRoleText;
  readonly problems: SetupRoleCheck['problems'];
  readonly onText: (text: SetupRoleText) => void;
}

export function SetupRoleFields({ text, problems, onText }: SetupRoleFieldsProps) {
  const policiesId = useId();
  const policiesNoteId = useId();
  const seconds = Number(text.sessionSeconds);
  return (
    <fieldset className="choices setup-role">
      <legend>The role sessions get</legend>
      <div className="field-grid">
        <TextField label="Role name" value={text.roleName} onValue={(roleName) => onText({ ...text, roleName })} error={problems.roleName} spellCheck={false} autoComplete="off" />
        <TextField
          label="Session duration (seconds)"
          type="number"
          inputMode="numeric"
          min={SESSION_DURATION_SECONDS.min}
          max={SESSION_DURATION_SECONDS.max}
          step={60}
          value={text.sessionSeconds}
          onValue={(sessionSeconds) => onText({ ...text, sessionSeconds })}
          error={problems.sessionSeconds}
          suffix={Number.isInteger(seconds) && seconds > 0 ? formatDuration(seconds) : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={policiesId}>Managed policies (one ARN a line)</label>
        <textarea
          id={policiesId}
          className="pem-input"
          value={text.policies}
          rows={2}
          spellCheck={false}
          placeholder={EXAMPLE_POLICY_ARN}
          aria-invalid={problems.policies ? true : undefined}
          aria-describedby={policiesNoteId}
          onChange={(event) => onText({ ...text, policies: event.target.value })}
        />
        <p id={policiesNoteId} className={problems.policies ? 'field-error' : 'field-note'}>
          {problems.policies ?? (text.policies.trim() === '' ? 'None: the role can be used but allows nothing until a policy is attached.' : 'Attached to the role: its sessions may do what these allow.')}
        </p>
      </div>
    </fieldset>
  );
}
