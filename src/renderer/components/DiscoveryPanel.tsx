// Lists trust anchors and profiles with credentials the user already has: an active Rolecall profile
// or an AWS CLI profile, in one region.
import { useId, useState, type KeyboardEvent } from 'react';
import type { Discovery, ProblemView, ProfileView } from '../../shared/model';
import { isValidRegion } from '../format/arn';
import { useAction } from '../hooks/useAction';

interface DiscoveryPanelProps {
  /** Profiles whose session can be used to list. */
  readonly activeProfiles: readonly ProfileView[];
  /** The region to start with (the trust anchor's, when one is typed). */
  readonly region: string;
  /** `endpoint`: the one the listing went through, where the found profiles are reached too. */
  readonly onFound: (discovery: Discovery, endpoint?: string) => void;
  readonly onProblem: (problem: ProblemView) => void;
}

const AWS_CHOICE = '\u0000aws';

export function DiscoveryPanel({ activeProfiles, region: initialRegion, onFound, onProblem }: DiscoveryPanelProps) {
  const [using, setUsing] = useState(activeProfiles[0]?.name ?? AWS_CHOICE);
  const [awsProfile, setAwsProfile] = useState('default');
  const chosen = activeProfiles.find((profile) => profile.name === using);
  const [region, setRegion] = useState(initialRegion || chosen?.signingRegion || '');
  const [summary, setSummary] = useState<string>();
  const list = useAction('Discovery', onProblem);
  const usingId = useId();
  const awsId = useId();
  const regionId = useId();
  const regionOk = isValidRegion(region.trim());

  const submit = async () => {
    if (!regionOk || list.busy) return;
    setSummary(undefined);
    const found = await list.run((api) =>
      api.discover.list({
        using: chosen ? { kind: 'rolecall', name: chosen.name } : { kind: 'aws', profile: awsProfile.trim() },
        region: region.trim(),
        // A profile that talks to a private or local endpoint lists through the same one.
        ...(chosen?.endpoint ? { endpoint: chosen.endpoint } : {}),
      }),
    );
    if (!found) return;
    const anchors = found.trustAnchors.length;
    const profiles = found.profiles.length;
    setSummary(`Found ${anchors} trust anchor${anchors === 1 ? '' : 's'} and ${profiles} profile${profiles === 1 ? '' : 's'} in ${found.region}; pick them by name below.`);
    onFound(found, chosen?.endpoint);
  };

  // It sits inside the editor's form (forms cannot nest): Enter here lists instead of saving.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || (event.target as HTMLElement).tagName !== 'INPUT') return;
    event.preventDefault();
    void submit();
  };

  return (
    <div className="discovery" role="group" aria-label="Find trust anchors and profiles" onKeyDown={onKeyDown}>
      <div className="discovery-row">
        <div className="field">
          <label htmlFor={usingId}>List with</label>
          <select
            id={usingId}
            value={using}
            onChange={(event) => {
              setUsing(event.target.value);
              const next = activeProfiles.find((profile) => profile.name === event.target.value);
              if (next && !region) setRegion(next.signingRegion);
            }}
          >
            {activeProfiles.map((profile) => (
              <option key={profile.name} value={profile.name}>
                Rolecall: {profile.name}
              </option>
            ))}
            <option value={AWS_CHOICE}>AWS CLI profile…</option>
          </select>
        </div>
        {!chosen && (
          <div className="field">
            <label htmlFor={awsId}>AWS profile</label>
            <input id={awsId} value={awsProfile} spellCheck={false} onChange={(event) => setAwsProfile(event.target.value)} />
          </div>
        )}
        <div className="field field-region">
          <label htmlFor={regionId}>Region</label>
          <input id={regionId} value={region} placeholder="us-east-1" spellCheck={false} onChange={(event) => setRegion(event.target.value)} />
        </div>
        <button type="button" className="button" onClick={() => void submit()} aria-busy={list.busy || undefined} aria-disabled={list.busy || undefined} disabled={!regionOk || (!chosen && awsProfile.trim() === '')}>
          {list.busy ? 'Listing…' : 'List'}
        </button>
      </div>
      {summary && (
        <p className="field-note" role="status">
          {summary}
        </p>
      )}
    </div>
  );
}
