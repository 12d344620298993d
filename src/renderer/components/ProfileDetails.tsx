// One profile's whole story: its certificate (validity, serial, fingerprint, chain, where it came from),
// the principal tags its sessions carry, the trust anchor, profile and role by name and ARN, where its
// session is delivered, and the agent's timeline of what happened to it (newest first).
import { useEffect, useState } from 'react';
import type { CertificateSummary, ProblemView, ProfileView, TimelineEvent } from '../../shared/model';
import { arnShortName } from '../format/arn';
import { nextStep } from '../format/errors';
import { isSwitchedOn } from '../format/status';
import { formatDuration, formatMoment, withReadableDates } from '../format/time';
import { attempt } from '../api';
import { Banner } from './Banner';
import { Dialog } from './Dialog';
import { ExplainDialog } from './ExplainDialog';

interface ProfileDetailsProps {
  readonly profile: ProfileView;
  readonly onClose: () => void;
  readonly onEdit: (profile: ProfileView) => void;
  readonly onOpenConsole: (profile: ProfileView) => void;
}

const EVENT_LABEL: Record<TimelineEvent['kind'], string> = {
  minted: 'Session minted',
  refreshed: 'Session refreshed',
  failed: 'Failed',
  delivered: 'Delivered',
  deactivated: 'Deactivated',
};

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

function Resource({ label, name, arn }: { label: string; name: string | undefined; arn: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span className="detail-name">{name ?? arnShortName(arn)}</span>
        <span className="mono detail-arn">{arn}</span>
      </dd>
    </>
  );
}

function EventLine({ event, now }: { event: TimelineEvent; now: number }) {
  const problem: ProblemView | undefined = event.problem;
  return (
    <li className={`timeline-event timeline-${event.kind}`}>
      <time dateTime={event.at} title={event.at}>
        {formatMoment(event.at, now)}
      </time>
      <span className="timeline-kind">{EVENT_LABEL[event.kind]}</span>
      <span className="timeline-text">
        {problem
          ? `${problem.message}${problem.detail ? ` ${withReadableDates(problem.detail, now)}` : ''} ${nextStep(problem)}`
          : event.expiresAt
            ? `${event.accessKeyIdMasked ? `${event.accessKeyIdMasked}, ` : ''}valid until ${formatMoment(event.expiresAt, now)}`
            : ''}
      </span>
    </li>
  );
}

export function ProfileDetails({ profile, onClose, onEdit, onOpenConsole }: ProfileDetailsProps) {
  const [events, setEvents] = useState<readonly TimelineEvent[]>();
  const [problem, setProblem] = useState<ProblemView>();
  const [renewsAt, setRenewsAt] = useState<string>();
  const [explaining, setExplaining] = useState(false);
  const now = Date.now();
  const { certificate, chain, name } = profile;

  // Read again whenever the profile's state changes: that is when the agent records something.
  useEffect(() => {
    let current = true;
    void attempt((api) => api.timeline.get({ name })).then((outcome) => {
      if (!current) return;
      if (outcome.ok) setEvents(outcome.value.events);
      else setProblem(outcome.problem);
    });
    return () => {
      current = false;
    };
  }, [name, profile.status, profile.lastRefreshedAt, profile.expiresAt]);

  // A certificate a Rolecall CA issued is renewed by the agent: say when.
  const request = profile.certificateRequest;
  useEffect(() => {
    if (request === undefined) return;
    let current = true;
    void attempt((api) => api.certificates.list({})).then((outcome) => {
      if (current && outcome.ok) setRenewsAt(outcome.value.find((candidate) => candidate.name === request)?.renewsAt);
    });
    return () => {
      current = false;
    };
  }, [request]);

  const tags = Object.entries(certificate.principalTags);
  const source = profile.certificateRequest
    ? `Issued to the Rolecall certificate request “${profile.certificateRequest}” (its key was made in the keychain)`
    : profile.keyStorage === 'keychain'
      ? 'Your certificate file; its private key is in the OS keychain'
      : `Your certificate file; the key is read from ${profile.keyPath ?? 'your key file'} at each signing`;
  const delivery =
    profile.delivery === 'file'
      ? `Credentials in [${name}] of ${profile.deliveredTo}, rewritten at each refresh`
      : `credential_process in [profile ${name}] of ${profile.deliveredTo}; nothing secret on disk`;

  return (
    <Dialog
      title={name}
      variant="sheet"
      onClose={onClose}
      description="Certificate, Roles Anywhere resources, delivery and recent events"
      footer={
        <>
          {(profile.status === 'failed' || profile.status === 'expired') && (
            <button type="button" className="button" onClick={() => setExplaining(true)}>
              Why?
            </button>
          )}
          <button type="button" className="button" onClick={() => onOpenConsole(profile)} disabled={!isSwitchedOn(profile.status)}>
            Open AWS console
          </button>
          <button type="button" className="button" onClick={() => onEdit(profile)}>
            Edit…
          </button>
          <button type="button" className="button primary" onClick={onClose} data-autofocus>
            Close
          </button>
        </>
      }
    >
      <div className="details">
        {problem && <Banner kind="error" problem={problem} onDismiss={() => setProblem(undefined)} />}
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
            <dd>{source}</dd>
            {renewsAt && (
              <>
                <dt>Renews</dt>
                <dd>{`Rolecall renews it on ${moment.format(new Date(renewsAt))}`}</dd>
              </>
            )}
          </dl>
        </section>

        <section aria-labelledby="details-tags">
          <h3 id="details-tags">Principal tags</h3>
          {tags.length === 0 ? (
            <p className="muted">This certificate gives the session no principal tags.</p>
          ) : (
            <table className="detail-table">
              <tbody>
                {tags.map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row" className="mono">
                      aws:PrincipalTag/{key}
                    </th>
                    <td className="mono">{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby="details-roles-anywhere">
          <h3 id="details-roles-anywhere">Roles Anywhere</h3>
          <dl className="detail-list">
            <Resource label="Trust anchor" name={profile.names?.trustAnchor} arn={profile.trustAnchorArn} />
            <Resource label="Profile" name={profile.names?.profile} arn={profile.profileArn} />
            <Resource label="Role" name={arnShortName(profile.roleArn)} arn={profile.roleArn} />
            <dt>Region</dt>
            <dd>{profile.toolRegion ? `Signs in ${profile.signingRegion}; tools use ${profile.toolRegion}` : `Signs in ${profile.signingRegion}`}</dd>
            <dt>Session</dt>
            <dd>
              {formatDuration(profile.durationSeconds)}
              {profile.roleSessionName ? `, named ${profile.roleSessionName}` : ''}
              {profile.autoRefresh ? ', refreshed before it expires' : ', not refreshed by itself'}
            </dd>
          </dl>
        </section>

        <section aria-labelledby="details-delivery">
          <h3 id="details-delivery">Delivery</h3>
          <p>{delivery}</p>
        </section>

        <section aria-labelledby="details-timeline">
          <h3 id="details-timeline">Timeline</h3>
          {events === undefined ? (
            <p className="muted">Loading…</p>
          ) : events.length === 0 ? (
            <p className="muted">Nothing has happened to this profile's session yet.</p>
          ) : (
            <ol className="timeline" aria-label={`Events of ${name}`}>
              {events.map((event, index) => (
                <EventLine key={`${event.at}-${index}`} event={event} now={now} />
              ))}
            </ol>
          )}
        </section>
      </div>
      {explaining && <ExplainDialog name={name} onClose={() => setExplaining(false)} />}
    </Dialog>
  );
}
