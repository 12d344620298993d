// The wizard's last step: the profile it added and switched on, the AWS resources behind it, and where
// its certificate came from and when it renews.
import type { CertificateRequestView, SetupResult } from '../../shared/model';
import { formatMoment } from '../format/time';

export function SetupResultView({ certificate, result }: { certificate: CertificateRequestView; result: SetupResult }) {
  const { profile } = result;
  const active = profile.status === 'active' || profile.status === 'refreshing';
  return (
    <div className="editor setup-result">
      <div className="trusted-ca" role="status" aria-label={`Set up ${profile.name}`}>
        <p className="trusted-ca-title">{active ? `${profile.name} is active` : `${profile.name} was added`}</p>
        <p className="muted">
          AWS tools use it with <span className="mono">AWS_PROFILE={profile.name}</span>; its session is in {profile.deliveredTo}, refreshed before it expires.
        </p>
        <dl className="facts">
          <dt>Certificate</dt>
          <dd>{origin(certificate)}</dd>
          <dt>Trust anchor</dt>
          <dd className="mono">{result.trustAnchorArn}</dd>
          <dt>Role</dt>
          <dd className="mono">{result.roleArn}</dd>
          <dt>Profile</dt>
          <dd className="mono">{result.profileArn}</dd>
        </dl>
      </div>
      <section aria-label="What the setup did">
        <h3>In {result.target}</h3>
        <ul className="setup-steps-done">
          {result.steps.map((step) => (
            <li key={`${step.resource} ${step.arn}`}>
              {step.outcome === 'created' ? (step.resource === 'managed policy' ? 'Attached' : 'Created') : 'Reused'} {step.resource === 'role' ? 'IAM role' : step.resource} <span className="mono">{step.resource === 'managed policy' ? step.arn : step.name}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function origin(certificate: CertificateRequestView): string {
  const now = Date.now();
  const ends = certificate.certificate ? formatMoment(certificate.certificate.notAfter, now) : undefined;
  if (certificate.issuedBy?.kind === 'rolecall-ca') {
    const renews = certificate.renewsAt ? `, around ${formatMoment(certificate.renewsAt, now)}` : '';
    return `${certificate.subject}, issued by the Rolecall CA ${certificate.issuedBy.ca}${ends ? ` until ${ends}` : ''}. Rolecall renews it before then${renews}.`;
  }
  return `${certificate.subject}, issued by ${certificate.certificate?.issuer ?? 'your CA'}${ends ? ` until ${ends}` : ''}. Ask your CA for a new one before then.`;
}
