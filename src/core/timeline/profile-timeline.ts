// Each profile's recent history (minted, refreshed, failed, delivered, deactivated), kept by the agent in
// <dataDir>/timeline.json so the window can show it after a restart. Bounded: the last 50 events per
// profile. Nothing secret goes in: the session manager hands over masked key ids and error infos, and
// every text is passed through the log redactor on the way in all the same.
//
// Recording never waits for the disk: events queue in memory and one locked write takes every event
// queued meanwhile, so a burst of 200 refreshes costs a handful of writes, not 400.
import { join } from 'node:path';
import { z } from 'zod';
import { isRolecallError } from '../../shared/errors';
import type { TimelineEvent } from '../../shared/model';
import { errorCodeSchema } from '../../shared/view-schemas';
import { createRedactor, nullLogger, type Logger } from '../log';
import { JsonDocument } from '../store';

export const TIMELINE_FILE_NAME = 'timeline.json';
/** Events kept per profile; older ones are dropped. */
export const TIMELINE_LIMIT = 50;

// A code this version does not know (the file was written by a newer one) reads as INTERNAL.
const problemSchema = z.object({ code: errorCodeSchema.catch('INTERNAL'), message: z.string(), next: z.string(), detail: z.string().optional() });
const eventSchema = z.object({
  at: z.string(),
  kind: z.enum(['minted', 'refreshed', 'failed', 'delivered', 'deactivated']),
  expiresAt: z.string().optional(),
  accessKeyIdMasked: z.string().optional(),
  problem: problemSchema.optional(),
});
const contentSchema = z.object({ profiles: z.record(z.string(), z.array(eventSchema)) });
type TimelineContent = z.infer<typeof contentSchema>;

/** A change waiting for the next write, applied in the order it was made. */
type Change = { readonly kind: 'add'; readonly name: string; readonly event: TimelineEvent } | { readonly kind: 'rename'; readonly from: string; readonly to: string } | { readonly kind: 'forget'; readonly name: string };

export interface ProfileTimelineOptions {
  readonly dataDir: string;
  readonly logger?: Logger;
  readonly limit?: number;
}

export class ProfileTimeline {
  readonly path: string;
  private readonly document: JsonDocument<TimelineContent>;
  private readonly logger: Logger;
  private readonly limit: number;
  private readonly redactor = createRedactor();
  private pending: Change[] = [];
  private flushing: Promise<void> | undefined;

  constructor(options: ProfileTimelineOptions) {
    this.path = join(options.dataDir, TIMELINE_FILE_NAME);
    this.logger = options.logger ?? nullLogger;
    this.limit = options.limit ?? TIMELINE_LIMIT;
    this.document = new JsonDocument({ path: this.path, schema: contentSchema, defaultValue: () => ({ profiles: {} }), logger: this.logger });
  }

  record(name: string, event: TimelineEvent): void {
    this.queue({ kind: 'add', name, event: this.clean(event) });
  }

  /** The profile is now called `to`: its history goes with it. */
  rename(from: string, to: string): void {
    this.queue({ kind: 'rename', from, to });
  }

  /** The profile was removed: so is its history. */
  forget(name: string): void {
    this.queue({ kind: 'forget', name });
  }

  /** The profile's events, newest first, including those not written yet. */
  async events(name: string): Promise<TimelineEvent[]> {
    await this.flush();
    const { profiles } = await this.document.read();
    return [...(profiles[name] ?? [])].reverse();
  }

  /** Resolves once everything recorded so far is on disk (or its write failed and was logged). */
  async flush(): Promise<void> {
    while (this.flushing !== undefined || this.pending.length > 0) {
      this.flushing ??= this.write();
      await this.flushing;
    }
  }

  private queue(change: Change): void {
    this.pending.push(change);
    this.flushing ??= this.write();
  }

  private async write(): Promise<void> {
    // Let the events of one turn (a refresh's "refreshed" and "delivered") share the write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const changes = this.pending;
    this.pending = [];
    try {
      await this.document.update((content) => apply(content, changes, this.limit));
    } catch (error) {
      // History is a convenience: a write that fails (a full disk, a busy lock) must not fail a session.
      this.logger.warn('could not write the profile timeline', { path: this.path, code: isRolecallError(error) ? error.code : 'INTERNAL', dropped: changes.length });
    } finally {
      this.flushing = undefined;
      if (this.pending.length > 0) this.flushing = this.write();
    }
  }

  private clean(event: TimelineEvent): TimelineEvent {
    const text = (value: string) => this.redactor.text(value);
    const problem = event.problem && {
      code: event.problem.code,
      message: text(event.problem.message),
      next: text(event.problem.next),
      ...(event.problem.detail !== undefined && { detail: text(event.problem.detail) }),
    };
    return {
      at: event.at,
      kind: event.kind,
      ...(event.expiresAt !== undefined && { expiresAt: event.expiresAt }),
      ...(event.accessKeyIdMasked !== undefined && { accessKeyIdMasked: text(event.accessKeyIdMasked) }),
      ...(problem && { problem }),
    };
  }
}

function apply(content: TimelineContent, changes: readonly Change[], limit: number): TimelineContent {
  const profiles: Record<string, TimelineEvent[]> = { ...content.profiles };
  for (const change of changes) {
    if (change.kind === 'add') {
      profiles[change.name] = [...(profiles[change.name] ?? []), change.event].slice(-limit);
    } else if (change.kind === 'rename') {
      const moved = profiles[change.from];
      delete profiles[change.from];
      if (moved) profiles[change.to] = [...(profiles[change.to] ?? []), ...moved].slice(-limit);
    } else {
      delete profiles[change.name];
    }
  }
  return { profiles };
}

