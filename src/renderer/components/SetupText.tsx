// A text the wizard hands over (a CSR, a CloudFormation template, AWS CLI commands): shown whole, copied
// or saved through main (the window has no clipboard or file access of its own).
import { useId, useState } from 'react';
import type { ProblemView } from '../../shared/model';
import { useAction } from '../hooks/useAction';

interface SetupTextProps {
  readonly label: string;
  readonly text: string;
  readonly fileName: string;
  readonly onProblem: (problem: ProblemView) => void;
}

export function SetupText({ label, text, fileName, onProblem }: SetupTextProps) {
  const headingId = useId();
  const copy = useAction(label, onProblem);
  const save = useAction(label, onProblem);
  const [said, setSaid] = useState('');
  return (
    <section className="setup-text" aria-labelledby={headingId}>
      <div className="section-heading">
        <h3 id={headingId}>{label}</h3>
        <span className="setup-text-actions">
          <button
            type="button"
            className="button small"
            aria-busy={copy.busy || undefined}
            onClick={() => void copy.run((api) => api.text.copy({ text })).then((done) => done && setSaid('Copied to the clipboard.'))}
          >
            Copy
          </button>
          <button
            type="button"
            className="button small"
            aria-busy={save.busy || undefined}
            onClick={() => void save.run((api) => api.text.save({ text, fileName })).then((done) => done && setSaid(`Saved to ${done.path}.`))}
          >
            Save…
          </button>
        </span>
      </div>
      <pre className="code-block" tabIndex={0} aria-label={label}>
        {text}
      </pre>
      <p className="field-note" role="status">
        {said}
      </p>
    </section>
  );
}
