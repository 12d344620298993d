// The wizard's trust-policy step: a box per principal tag the certificate gives a session (the subject's
// OU and CN ticked, as the tutorials pin them), and the whole trust policy those boxes make.
import { useEffect, useId, useState } from 'react';
import type { OperationInput } from '../../shared/contract';
import type { ProblemView, SetupPreview } from '../../shared/model';
import { attempt } from '../api';

type SetupRequest = OperationInput<'setup.preview'>;

interface SetupPolicyStepProps {
  readonly request: SetupRequest;
  readonly onPreview: (preview: SetupPreview | undefined, tags: readonly string[] | undefined) => void;
  readonly onProblem: (problem: ProblemView | undefined) => void;
}

export function SetupPolicyStep({ request, onPreview, onProblem }: SetupPolicyStepProps) {
  const legendId = useId();
  const [preview, setPreview] = useState<SetupPreview>();
  const [chosen, setChosen] = useState<readonly string[] | undefined>(request.tags);
  const [allTags, setAllTags] = useState<Readonly<Record<string, string>>>({});

  useEffect(() => {
    let current = true;
    void attempt((api) => api.setup.preview({ ...request, ...(chosen !== undefined && { tags: [...chosen] }) })).then((outcome) => {
      if (!current) return;
      if (outcome.ok) {
        setPreview(outcome.value);
        setAllTags(outcome.value.certificateTags);
        onProblem(undefined);
        onPreview(outcome.value, chosen);
      } else {
        setPreview(undefined);
        onProblem(outcome.problem);
        onPreview(undefined, chosen);
      }
    });
    return () => {
      current = false;
    };
    // The request is fixed while this step shows; the boxes are what change.
  }, [chosen]);

  const ticked = new Set(chosen ?? preview?.pinned.map((tag) => tag.key) ?? []);
  const toggle = (key: string, on: boolean) => {
    const next = Object.keys(allTags).filter((candidate) => (candidate === key ? on : ticked.has(candidate)));
    setChosen(next);
  };

  return (
    <div className="editor">
      <p className="setup-lead">
        Roles Anywhere gives each session the principal tags of the certificate. The role trusts a session only when the tags you tick carry these values, and only through this
        setup&apos;s trust anchor.
      </p>
      <fieldset className="choices setup-tags" aria-labelledby={legendId}>
        <legend id={legendId}>Tags the trust policy requires</legend>
        {Object.entries(allTags).map(([key, value]) => (
          <label key={key} className="checkbox">
            <input type="checkbox" checked={ticked.has(key)} onChange={(event) => toggle(key, event.target.checked)} />
            <span className="mono">
              <span className="tag-prefix">aws:PrincipalTag/</span>
              {key} = {value}
            </span>
          </label>
        ))}
      </fieldset>
      {preview && (
        <section className="setup-policy" aria-label={`Trust policy of ${preview.resources.find((resource) => resource.kind === 'IAM role')?.name ?? 'the role'}`}>
          <h3>Trust policy of {preview.resources.find((resource) => resource.kind === 'IAM role')?.name}</h3>
          <pre className="code-block" tabIndex={0}>
            {preview.trustPolicy}
          </pre>
        </section>
      )}
    </div>
  );
}
