import type { CertificateSummary, ProblemView } from '../../shared/model';
import { nextStep } from '../format/errors';
import { PrincipalTags } from './PrincipalTags';
import { ErrorIcon, WarningIcon } from './Icons';

interface DraftSummaryProps {
  readonly certificate: CertificateSummary;
  readonly chain: readonly CertificateSummary[];
  readonly sourceFiles?: readonly string[];
  readonly problems?: readonly ProblemView[];
  readonly warnings?: readonly string[];
}

const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function daysUntil(iso: string): number {
  return Math.floor((Date.parse(iso) - Date.now()) / 86_400_000);
}

function validity(certificate: CertificateSummary): string {
  const days = daysUntil(certificate.notAfter);
  const left = days < 0 ? 'expired' : days === 0 ? 'expires today' : `${days} days left`;
  return `${date.format(new Date(certificate.notBefore))} – ${date.format(new Date(certificate.notAfter))} (${left})`;
}

/** What the certificate is, what Roles Anywhere would refuse about it, and the tags it carries. */
export function DraftSummary({ certificate, chain, sourceFiles = [], problems = [], warnings = [] }: DraftSummaryProps) {
  return (
    <div className="draft-summary">
      {problems.length > 0 && (
        <ul className="issue-list" aria-label="Problems">
          {problems.map((problem) => (
            <li key={`${problem.code}-${problem.detail ?? ''}`} className="issue issue-bad">
              <ErrorIcon />
              <span>
                <strong>{problem.message}</strong>
                {problem.detail && ` ${problem.detail}`} <span className="issue-next">{nextStep(problem)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && (
        <ul className="issue-list" aria-label="Warnings">
          {warnings.map((warning) => (
            <li key={warning} className="issue issue-warn">
              <WarningIcon />
              <span>{warning}</span>
            </li>
          ))}
        </ul>
      )}
      <dl className="facts">
        <dt>Subject</dt>
        <dd className="mono">{certificate.subject}</dd>
        <dt>Issuer</dt>
        <dd className="mono">{certificate.issuer}</dd>
        <dt>Valid</dt>
        <dd>{validity(certificate)}</dd>
        <dt>Key</dt>
        <dd>
          {certificate.keyAlgorithm} · {certificate.signatureAlgorithm}
        </dd>
        <dt>Serial</dt>
        <dd className="mono">{certificate.serialHex}</dd>
        <dt>SHA-256</dt>
        <dd className="mono fingerprint">{certificate.fingerprintSha256}</dd>
        {chain.length > 0 && (
          <>
            <dt>Chain</dt>
            <dd>
              {chain.map((link) => (
                <div key={link.fingerprintSha256} className="mono">
                  {link.subject}
                </div>
              ))}
            </dd>
          </>
        )}
        {sourceFiles.length > 0 && (
          <>
            <dt>Files</dt>
            <dd>
              {sourceFiles.map((file) => (
                <div key={file} className="mono path">
                  {file}
                </div>
              ))}
            </dd>
          </>
        )}
      </dl>
      <PrincipalTags tags={certificate.principalTags} />
    </div>
  );
}
