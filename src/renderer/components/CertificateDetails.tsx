// The certificate part of a profile's details: subject, issuer, validity as a bar, serial, fingerprint,
// the chain it sends, where it came from and, for one a Rolecall CA issued, when the agent renews it.
import { useEffect, useState } from 'react';
import type { CertificateSummary, ProfileView } from '../../shared/model';
import { attempt } from '../api';

const moment = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function ValidityBar({ certificate, now }: { certificate: CertificateSummary; now: number }) {
  const start = Date.parse(certificate.notBefore);
  const end = Date.parse(certificate.notAfter);
  const used = Math.min(100, Math.max(0, Math.round(((now - start) / Math.max(1, end - start)) * 100)));
  return (
    <div className="validity">
      <div className="validity-dates">
        <span>{moment.format(new Date(start))}</span>
        <span>{moment.format(new Date(end))}</span>
      </div>
      <div className="validity-bar" role="meter" aria-label="Validity used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={used} aria-valuetext={`${used}% of the validity used`}>
        <div className={`validity-used${used >= 90 ? ' validity-late' : ''}`} style={{ width: `${used}%` }} />
      </div>
    </div>
  );
}

/** The Rolecall CA that issued a Rolecall certificate request's certificate and when the agent renews it (undefined for any other). */
function useRequestOrigin(request: string | undefined): { readonly ca?: string; readonly renewsAt?: string } {
  const [origin, setOrigin] = useState<{ readonly ca?: string; readonly renewsAt?: string }>({});
  useEffect(() => {
    if (request === undefined) return;
    let current = true;
    void attempt((api) => api.certificates.list({})).then((outcome) => {
      const found = outcome.ok ? outcome.value.find((candidate) => candidate.name === request) : undefined;
      if (current && found) setOrigin({ ...(found.issuedBy?.kind === 'rolecall-ca' && { ca: found.issuedBy.ca }), ...(found.renewsAt !== undefined && { renewsAt: found.renewsAt }) });
    });
    return () => {
      current = false;
    };
  }, [request]);
  return origin;
}

function sourceOf(profile: ProfileView, ca: string | undefined): string {
  if (profile.certificateRequest) return `Issued ${ca === undefined ? '' : `by the Rolecall CA ${ca} `}to the Rolecall certificate request “${profile.certificateRequest}” (its key was made in the keychain)`;
  return profile.keyStorage === 'keychain'
    ? 'Your certificate file; its private key is in the OS keychain'
    : `Your certificate file; the key is read from ${profile.keyPath ?? 'your key file'} at each signing`;
}

export function CertificateDetails({ profile, now }: { profile: ProfileView; now: number }) {
  const { certificate, chain } = profile;
  const { ca, renewsAt } = useRequestOrigin(profile.certificateRequest);
  return (
    <section aria-labelledby="details-certificate">
      <h3 id="details-certificate">Certificate</h3>
      <dl className="detail-list">
        <dt>Subject</dt>
        <dd className="mono">{certificate.subject}</dd>
        <dt>Issuer</dt>
        <dd className="mono">{certificate.issuer}</dd>
        <dt>Validity</dt>
        <dd>
          <ValidityBar certificate={certificate} now={now} />
        </dd>
        <dt>Serial</dt>
        <dd className="mono">{certificate.serialHex}</dd>
        <dt>SHA-256 fingerprint</dt>
        <dd className="mono detail-wrap">{certificate.fingerprintSha256}</dd>
        <dt>Key</dt>
        <dd>
          {certificate.keyAlgorithm}, signed with {certificate.signatureAlgorithm}
        </dd>
        <dt>Chain</dt>
        <dd>
          {chain.length === 0 ? (
            'No intermediate certificates are sent.'
          ) : (
            <ol className="detail-chain">
              {chain.map((each) => (
                <li key={each.fingerprintSha256} className="mono" title={each.fingerprintSha256}>
                  {each.subject}
                </li>
              ))}
            </ol>
          )}
        </dd>
        <dt>Came from</dt>
        <dd>{sourceOf(profile, ca)}</dd>
        {renewsAt && (
          <>
            <dt>Renews</dt>
            <dd>{`Rolecall renews it on ${moment.format(new Date(renewsAt))}`}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
