// The agent's timeline of a profile's session (newest first), read again whenever the profile's state
// changes: that is when the agent records something.
import { useEffect, useState } from 'react';
import type { ProblemView, ProfileView, TimelineEvent } from '../../shared/model';
import { nextStep } from '../format/errors';
import { formatMoment, withReadableDates } from '../format/time';
import { attempt } from '../api';

const EVENT_LABEL: Record<TimelineEvent['kind'], string> = {
  minted: 'Session minted',
  refreshed: 'Session refreshed',
  failed: 'Failed',
  delivered: 'Delivered',
  deactivated: 'Deactivated',
};

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

interface ProfileTimelineProps {
  readonly profile: ProfileView;
  readonly now: number;
  /** A state setter (stable), so the read follows the profile's state alone. */
  readonly onProblem: (problem: ProblemView) => void;
}

export function ProfileTimeline({ profile, now, onProblem }: ProfileTimelineProps) {
  const [events, setEvents] = useState<readonly TimelineEvent[]>();
  const { name } = profile;
  useEffect(() => {
    let current = true;
    void attempt((api) => api.timeline.get({ name })).then((outcome) => {
      if (!current) return;
      if (outcome.ok) setEvents(outcome.value.events);
      else onProblem(outcome.problem);
    });
    return () => {
      current = false;
    };
  }, [name, profile.status, profile.lastRefreshedAt, profile.expiresAt]);
  return (
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
  );
}
