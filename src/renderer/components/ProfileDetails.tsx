// One profile's whole story: its certificate (validity, serial, fingerprint, chain, where it came from),
// the principal tags its sessions carry, the trust anchor, profile and role by name and ARN, where its
// session is delivered, and the agent's timeline of what happened to it (newest first).
import { useState } from 'react';
import type { ProblemView, ProfileView } from '../../shared/model';
import { arnShortName } from '../format/arn';
import { isSwitchedOn } from '../format/status';
import { formatDuration } from '../format/time';
import { Banner } from './Banner';
import { CertificateDetails } from './CertificateDetails';
import { Dialog } from './Dialog';
import { ExplainDialog } from './ExplainDialog';
import { ProfileTimeline } from './ProfileTimeline';

interface ProfileDetailsProps {
  readonly profile: ProfileView;
  readonly onClose: () => void;
  readonly onEdit: (profile: ProfileView) => void;
  readonly onOpenConsole: (profile: ProfileView) => void;
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

function PrincipalTags({ tags }: { tags: Readonly<Record<string, string>> }) {
  const entries = Object.entries(tags);
  return (
    <section aria-labelledby="details-tags">
      <h3 id="details-tags">Principal tags</h3>
      {entries.length === 0 ? (
        <p className="muted">This certificate gives the session no principal tags.</p>
      ) : (
        <table className="detail-table">
          <tbody>
            {entries.map(([key, value]) => (
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
  );
}

function RolesAnywhereDetails({ profile }: { profile: ProfileView }) {
  return (
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
  );
}

/** The config file's section for a name: `[default]` is the one without the `profile ` prefix. */
const configSection = (name: string) => (name === 'default' ? '[default]' : `[profile ${name}]`);

interface FileTouched {
  readonly path: string;
  readonly what: string;
}

/** Every AWS file the profile's delivery writes, with the section and keys it writes there. */
function filesTouched(profile: ProfileView): FileTouched[] {
  const region = profile.toolRegion === undefined ? '' : `, region = ${profile.toolRegion}`;
  if (profile.delivery === 'process') return [{ path: profile.deliveredTo, what: `${configSection(profile.name)}: credential_process${region}; nothing secret on disk` }];
  return [
    { path: profile.deliveredTo, what: `[${profile.name}]: aws_access_key_id, aws_secret_access_key, aws_session_token, rewritten at each refresh` },
    ...(profile.toolRegionFile === undefined ? [] : [{ path: profile.toolRegionFile, what: `${configSection(profile.name)}: region = ${profile.toolRegion ?? ''}` }]),
  ];
}

function DeliveryDetails({ profile }: { profile: ProfileView }) {
  return (
    <section aria-labelledby="details-delivery">
      <h3 id="details-delivery">Delivery</h3>
      <p>{profile.delivery === 'file' ? 'Session keys in the credentials file' : 'credential_process: tools ask Rolecall for a session when they need one'}</p>
      <ul className="detail-files" aria-label="AWS files it writes">
        {filesTouched(profile).map((file) => (
          <li key={file.path}>
            <span className="mono detail-arn">{file.path}</span>
            <span>{file.what}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ProfileDetails({ profile, onClose, onEdit, onOpenConsole }: ProfileDetailsProps) {
  const [problem, setProblem] = useState<ProblemView>();
  const [explaining, setExplaining] = useState(false);
  const now = Date.now();
  const { name } = profile;

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
        <CertificateDetails profile={profile} now={now} />
        <PrincipalTags tags={profile.certificate.principalTags} />
        <RolesAnywhereDetails profile={profile} />
        <DeliveryDetails profile={profile} />
        <ProfileTimeline profile={profile} now={now} onProblem={setProblem} />
      </div>
      {explaining && <ExplainDialog name={name} onClose={() => setExplaining(false)} />}
    </Dialog>
  );
}
