import type { Ref } from 'react';
import type { CertificateSummary, ProblemView } from '../../shared/model';
import { asSentence, nextStep } from '../format/errors';
import { formatDaysLeft, withReadableDates } from '../format/time';
import { PrincipalTags } from './PrincipalTags';
import { ErrorIcon, WarningIcon } from './Icons';

interface DraftSummaryProps {
  readonly certificate: CertificateSummary;
  readonly chain: readonly CertificateSummary[];
  readonly sourceFiles?: readonly string[];
  readonly problems?: readonly ProblemView[];
  readonly warnings?: readonly string[];
  /** The list of problems: the editor moves focus there when the agent refuses one of them. */
  readonly problemsRef?: Ref<HTMLUListElement>;
}

const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function validity(certificate: CertificateSummary, nowMs: number): string {
  const days = Math.floor((Date.parse(certificate.notAfter) - nowMs) / 86_400_000);
  const left = days < 0 ? 'expired' : days === 0 ? 'expires today' : `${formatDaysLeft(days)} left`;
  return `${date.format(new Date(certificate.notBefore))} – ${date.format(new Date(certificate.notAfter))} (${left})`;
}

/** What the certificate is, what Roles Anywhere would refuse about it, and the tags it carries. */
export function DraftSummary({ certificate, chain, sourceFiles = [], problems = [], warnings = [], problemsRef }: DraftSummaryProps) {
  const now = Date.now();
  return (
    <div className="draft-summary">
      {problems.length > 0 && (
        <ul ref={problemsRef} className="issue-list" aria-label="Problems" tabIndex={-1}>
          {problems.map((problem) => (
            <li key={`${problem.code}-${problem.detail ?? ''}`} className="issue issue-bad">
              <ErrorIcon />
              <span className="issue-text">
                <span>
                  <strong>{problem.message}</strong>
                  {problem.detail && ` ${asSentence(withReadableDates(problem.detail, now))}`}
                </span>
                <span className="issue-next">{nextStep(problem)}</span>
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
              <span>{withReadableDates(warning, now)}</span>
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
        <dd>{validity(certificate, now)}</dd>
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
