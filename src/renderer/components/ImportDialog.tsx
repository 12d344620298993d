// Take over the aws_signing_helper lines of ~/.aws/config: a preview with what is wrong, the exact
// change to the file, a choice of lines, then the result.
import { useCallback, useEffect, useId, useState } from 'react';
import type { ImportCandidate, ImportPlan, ImportResult, ProblemView } from '../../shared/model';
import { abbreviateId, arnShortName } from '../format/arn';
import { nextStep } from '../format/errors';
import { withReadableDates } from '../format/time';
import { diffLineKind, importBlockers, isImportable, needsPassphrase } from '../format/import';
import { fileName } from '../format/path';
import { useAction } from '../hooks/useAction';
import { Banner } from './Banner';
import { Dialog } from './Dialog';

interface ImportDialogProps {
  readonly onClose: () => void;
  readonly onImported: (result: ImportResult) => void;
}

function CandidateRow({
  candidate,
  selected,
  passphrase,
  onSelect,
  onPassphrase,
}: {
  candidate: ImportCandidate;
  selected: boolean;
  passphrase: string;
  onSelect: (selected: boolean) => void;
  onPassphrase: (value: string) => void;
}) {
  const checkboxId = useId();
  const passphraseId = useId();
  const blockers = importBlockers(candidate);
  const importable = blockers.length === 0;
  // A missing certificate file is named by its problem already.
  const pathIsTheProblem = blockers.some((problem) => problem.detail === candidate.certificatePath);
  const summary = [
    candidate.trustAnchorArn && `anchor ${abbreviateId(arnShortName(candidate.trustAnchorArn))}`,
    candidate.profileArn && `profile ${abbreviateId(arnShortName(candidate.profileArn))}`,
    candidate.roleArn && `role ${arnShortName(candidate.roleArn)}`,
    candidate.region,
  ].filter(Boolean);
  return (
    <li className={`candidate${importable ? '' : ' candidate-blocked'}`}>
      <input id={checkboxId} type="checkbox" checked={selected} disabled={!importable} onChange={(event) => onSelect(event.target.checked)} />
      <div className="candidate-body">
        <label htmlFor={checkboxId} className="candidate-title">
          <strong>{candidate.awsProfile}</strong>
          {candidate.name !== candidate.awsProfile && <span className="muted"> → {candidate.name}</span>}
          <span className="chip chip-neutral">{candidate.tool === 'aws_signing_helper' ? 'aws_signing_helper' : 'rolecall'}</span>
        </label>
        {summary.length > 0 && <p className="candidate-meta">{summary.join(' · ')}</p>}
        {candidate.certificatePath && !pathIsTheProblem && (
          <p className="candidate-meta mono path" title={candidate.certificatePath}>
            {fileName(candidate.certificatePath)}
          </p>
        )}
        {candidate.multiLine && <p className="field-hint">This line spans several lines, which aws_signing_helper cannot read; Rolecall writes it as one line.</p>}
        {blockers.map((problem) => (
          <div key={`${problem.code}-${problem.detail ?? ''}`}>
            <p className="field-error">
              {problem.message}
              {problem.detail && <span className="mono"> {withReadableDates(problem.detail, Date.now())}</span>}
            </p>
            <p className="field-note">{nextStep(problem)}</p>
          </div>
        ))}
        {importable && needsPassphrase(candidate) && (
          <div className="field inline-field">
            <label htmlFor={passphraseId}>Passphrase of the private key</label>
            <input id={passphraseId} type="password" autoComplete="off" value={passphrase} disabled={!selected} onChange={(event) => onPassphrase(event.target.value)} />
          </div>
        )}
      </div>
    </li>
  );
}

function ResultView({ result }: { result: ImportResult }) {
  return (
    <div className="import-result">
      {result.imported.length > 0 && (
        <p>
          Imported <strong>{result.imported.join(', ')}</strong>. They are in the list now, switched off until you activate them.
        </p>
      )}
      {result.failed.map(({ name, problem }) => (
        <Banner key={name} kind="error" subject={name} problem={problem} />
      ))}
      {result.keyFilesNowInKeychain.length > 0 && (
        <>
          <p>These private keys are now in the keychain; you may delete the plaintext files:</p>
          <ul className="path-list">
            {result.keyFilesNowInKeychain.map((file) => (
              <li key={file} className="mono path">
                {file}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function ImportDialog({ onClose, onImported }: ImportDialogProps) {
  const [plan, setPlan] = useState<ImportPlan>();
  const [problem, setProblem] = useState<ProblemView>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [passphrases, setPassphrases] = useState<Readonly<Record<string, string>>>({});
  const [result, setResult] = useState<ImportResult>();
  const showProblem = useCallback((next: ProblemView) => setProblem(next), []);
  const preview = useAction('Import', showProblem);
  const apply = useAction('Import', showProblem);
  const runPreview = preview.run;

  useEffect(() => {
    void runPreview((api) => api.import.preview({})).then((found) => {
      if (!found) return;
      setPlan(found);
      setSelected(new Set(found.candidates.filter(isImportable).map((candidate) => candidate.awsProfile)));
    });
  }, [runPreview]);

  const chosen = plan?.candidates.filter((candidate) => selected.has(candidate.awsProfile)) ?? [];

  const submit = async () => {
    setProblem(undefined);
    const withPassphrase = chosen.filter(needsPassphrase).map((candidate) => [candidate.awsProfile, passphrases[candidate.awsProfile] ?? ''] as const);
    const done = await apply.run((api) =>
      api.import.apply({
        awsProfiles: chosen.map((candidate) => candidate.awsProfile),
        ...(withPassphrase.length > 0 ? { passphrases: Object.fromEntries(withPassphrase) } : {}),
      }),
    );
    if (!done) return;
    setResult(done);
    onImported(done);
  };

  const footer = result ? (
    <button type="button" className="button primary" onClick={onClose} autoFocus>
      Done
    </button>
  ) : (
    <>
      <button type="button" className="button" onClick={onClose}>
        Cancel
      </button>
      <button type="button" className="button primary" onClick={() => void submit()} disabled={chosen.length === 0} aria-busy={apply.busy || undefined} aria-disabled={apply.busy || undefined}>
        {apply.busy ? 'Importing…' : `Import ${chosen.length === 1 ? '1 profile' : `${chosen.length} profiles`}`}
      </button>
    </>
  );

  return (
    <Dialog title="Import from AWS config" variant="medium" onClose={onClose} footer={footer}>
      {problem && <Banner kind="error" problem={problem} onDismiss={() => setProblem(undefined)} />}
      {preview.busy && (
        <p className="muted" role="status" aria-busy="true">
          Reading your AWS config…
        </p>
      )}
      {result && <ResultView result={result} />}
      {plan && !result && (
        <>
          <p className="dialog-description">
            {plan.candidates.length === 0 ? (
              <>
                No <code>credential_process</code> lines that call aws_signing_helper were found in <span className="mono">{plan.configPath}</span>.
              </>
            ) : (
              <>
                Rolecall moves the keys of the chosen lines into the keychain and points their <code>credential_process</code> in{' '}
                <span className="mono">{plan.configPath}</span> at Rolecall. Nothing else in the file changes.
              </>
            )}
          </p>
          {plan.candidates.length > 0 && (
            <ul className="candidates" aria-label="Profiles found">
              {plan.candidates.map((candidate) => (
                <CandidateRow
                  key={candidate.awsProfile}
                  candidate={candidate}
                  selected={selected.has(candidate.awsProfile)}
                  passphrase={passphrases[candidate.awsProfile] ?? ''}
                  onSelect={(on) =>
                    setSelected((current) => {
                      const next = new Set(current);
                      if (on) next.add(candidate.awsProfile);
                      else next.delete(candidate.awsProfile);
                      return next;
                    })
                  }
                  onPassphrase={(value) => setPassphrases((current) => ({ ...current, [candidate.awsProfile]: value }))}
                />
              ))}
            </ul>
          )}
          {plan.configDiff.trim() !== '' && (
            <details className="diff-details">
              <summary>Changes to {plan.configPath}</summary>
              <pre className="diff" tabIndex={0} aria-label="Changes to the AWS config file">
                {plan.configDiff.split('\n').map((line, index) => (
                  <span key={index} className={`diff-${diffLineKind(line)}`}>
                    {line}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </details>
          )}
        </>
      )}
    </Dialog>
  );
}
