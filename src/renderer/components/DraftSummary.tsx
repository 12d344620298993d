import type { Ref } from 'react';
import type { CertificateSummary, ProblemView } from '../../shared/model';
import { isExpiryWarning } from '../../shared/certificate-expiry';
import { certificateWarning, validityLine } from '../format/certificate-expiry';
import { asSentence, nextStep } from '../format/errors';
import { fileName } from '../format/path';
import { withReadableDates } from '../format/time';
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

/**
 * The agent's warnings, with its expiry warning said in the window's one wording for expiry (the words of
 * the validity line), so the same certificate never reads "expires in 20 days" and "(49 days left)".
 */
function shownWarnings(warnings: readonly string[], certificate: CertificateSummary, nowMs: number): string[] {
  return warnings.map((warning) => (isExpiryWarning(warning) ? `${certificateWarning('expiring', certificate, nowMs) ?? warning}. Ask your CA for a new one soon.` : withReadableDates(warning, nowMs)));
}

/** What the certificate is, what Roles Anywhere would refuse about it, and the tags it carries. */
export function DraftSummary({ certificate, chain, sourceFiles = [], problems = [], warnings = [], problemsRef }: DraftSummaryProps) {
  const now = Date.now();
  const warningLines = shownWarnings(warnings, certificate, now);
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
      {warningLines.length > 0 && (
        <ul className="issue-list" aria-label="Warnings">
          {warningLines.map((warning) => (
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
        <dd>{validityLine(certificate, now)}</dd>
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
              {/* The files the user just chose: their names say which; the whole path is in the tooltip. */}
              {sourceFiles.map((file) => (
                <div key={file} className="mono path" title={file}>
                  {fileName(file)}
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
