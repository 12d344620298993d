// "Why?": a failed profile's explanation (profiles.explain), opened from its row's menu or from its
// failure notification (the app's window.explain event).
import { useEffect, useState } from 'react';
import { eventOf } from '../../shared/apply-event';
import type { Explanation, ProblemView } from '../../shared/model';
import { attempt, rolecall } from '../api';
import { explainView } from '../format/explain';
import { nextStep } from '../format/errors';
import { Dialog } from './Dialog';

export function ExplainDialog({ name, onClose }: { readonly name: string; readonly onClose: () => void }) {
  const [result, setResult] = useState<{ explanation: Explanation } | { problem: ProblemView } | undefined>();
  useEffect(() => {
    let current = true;
    void attempt((api) => api.profiles.explain({ name })).then((outcome) => {
      if (current) setResult(outcome.ok ? { explanation: outcome.value } : { problem: outcome.problem });
    });
    return () => {
      current = false;
    };
  }, [name]);

  const footer = (
    <button type="button" className="button" onClick={onClose} data-autofocus>
      Close
    </button>
  );
  return (
    <Dialog title={`Why ${name} fails`} onClose={onClose} variant="medium" footer={footer}>
      {result === undefined && <p aria-busy="true">Checking the certificate, the trust anchor, the profile and the role…</p>}
      {result !== undefined && 'problem' in result && (
        <p role="alert">
          {result.problem.message} {nextStep(result.problem)}
        </p>
      )}
      {result !== undefined && 'explanation' in result && <ExplanationBody explanation={result.explanation} />}
    </Dialog>
  );
}

function ExplanationBody({ explanation }: { readonly explanation: Explanation }) {
  const view = explainView(explanation);
  return (
    <div className="explanation">
      <p className="explanation-headline">
        <strong>{view.headline}</strong>
      </p>
      {view.wanted !== undefined && (
        <p>
          Wanted: {view.wanted}. Found: {view.carried}.
        </p>
      )}
      {view.next !== undefined && <p>{view.next}</p>}
      <ol className="explanation-checks" aria-label="Checks, in the service's order">
        {view.checks.map((check, index) => (
          <li key={index} data-outcome={check.outcome}>
            <span className="explanation-mark">{check.mark}:</span> {check.text}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Opens the explanation the app asks for (a click on a failure notification). */
export function ExplainRequests() {
  const [name, setName] = useState<string | undefined>();
  useEffect(() => {
    try {
      return rolecall().events.subscribe((name, payload) => {
        const event = eventOf(name, payload);
        if (event.event === 'window.explain') setName(event.payload.name);
      });
    } catch {
      // No bridge: the app's own load reports it.
      return undefined;
    }
  }, []);
  return name === undefined ? null : <ExplainDialog name={name} onClose={() => setName(undefined)} />;
}
