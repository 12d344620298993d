// "Local sandbox" in the settings: trust a CA of the user's in the local sandbox (as `rolecall sandbox
// --trust-ca FILE` does), see the trust anchor it got, and start a profile for its certificates there.
import { useEffect, useId, useRef, useState } from 'react';
import type { ProblemView, SandboxTrustedCa } from '../../shared/model';
import { useAction } from '../hooks/useAction';

interface SandboxTrustSectionProps {
  readonly onAddProfile: (trusted: SandboxTrustedCa) => void;
  /** Failures show in the dialog that holds this section: the window's banners sit behind it. */
  readonly onProblem: (problem: ProblemView) => void;
}

export function SandboxTrustSection({ onAddProfile, onProblem }: SandboxTrustSectionProps) {
  const headingId = useId();
  const [trusted, setTrusted] = useState<SandboxTrustedCa>();
  const trust = useAction('Sandbox', onProblem);
  const resultBox = useRef<HTMLDivElement>(null);
  // The section sits at the foot of a scrolling dialog: bring the answer into view.
  useEffect(() => {
    if (trusted) resultBox.current?.scrollIntoView({ block: 'nearest' });
  }, [trusted]);

  const chooseCa = async () => {
    // The dialog and the file stay in main: the window gets only what the sandbox made of it.
    const result = await trust.run((api) => api.sandbox.trustChosenCa({}));
    if (result) setTrusted(result);
  };

  return (
    <section className="settings-section sandbox-trust" aria-labelledby={headingId} aria-busy={trust.busy || undefined}>
      <div className="section-heading">
        <h3 id={headingId}>Local sandbox</h3>
        <button type="button" className="button small" onClick={() => void chooseCa()} aria-busy={trust.busy || undefined} aria-disabled={trust.busy || undefined}>
          {trust.busy ? 'Trusting…' : 'Trust a CA of mine…'}
        </button>
      </div>
      <p className="muted">
        Try your own certificate without AWS: the sandbox on this computer trusts the CA that issued it, and its demo profile and role accept it.
      </p>
      {trusted && (
        <div ref={resultBox} className="trusted-ca" role="status" aria-label={`Trusted ${trusted.trustAnchorName}`}>
          <p className="trusted-ca-title">
            {trusted.created ? 'Trusted as a new trust anchor' : 'Already trusted'}
            {!trusted.created && <span className="chip chip-neutral">same trust anchor as before</span>}
          </p>
          <dl className="facts">
            <dt>CA</dt>
            <dd>{trusted.subject}</dd>
            <dt>Trust anchor</dt>
            <dd>
              {trusted.trustAnchorName}
              <br />
              <span className="mono">{trusted.trustAnchorArn}</span>
            </dd>
            <dt>Endpoint</dt>
            <dd className="mono">{trusted.endpoint}</dd>
          </dl>
          <div className="trusted-ca-actions">
            <button type="button" className="button small primary" onClick={() => onAddProfile(trusted)}>
              Add a profile for it
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
