// A profile's history as the agent keeps it: the real locked JSON store in a temp folder, and the real
// session engine recording into it against the sandbox (on a virtual clock).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileTimeline, TIMELINE_FILE_NAME, TIMELINE_LIMIT } from '../../../src/core/timeline';
import type { TimelineEvent } from '../../../src/shared/model';
import { useRig } from '../sessions/session-rig';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rolecall-timeline-'));
  dirs.push(dir);
  return dir;
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

describe('ProfileTimeline on the real store', () => {
  it('gives a profile\'s events newest first, and a new instance (the next agent) reads the same from the file', async () => {
    const dir = await dataDir();
    const timeline = new ProfileTimeline({ dataDir: dir });
    timeline.record('dev', { at: at(0), kind: 'minted', expiresAt: at(60), accessKeyIdMasked: 'ASIA…WXYZ' });
    timeline.record('dev', { at: at(0), kind: 'delivered', expiresAt: at(60) });
    timeline.record('ops', { at: at(1), kind: 'deactivated' });
    timeline.record('dev', { at: at(45), kind: 'refreshed', expiresAt: at(105) });
    expect((await timeline.events('dev')).map((event) => event.kind)).toEqual(['refreshed', 'delivered', 'minted']);

    const next = new ProfileTimeline({ dataDir: dir });
    expect(await next.events('dev')).toEqual([
      { at: at(45), kind: 'refreshed', expiresAt: at(105) },
      { at: at(0), kind: 'delivered', expiresAt: at(60) },
      { at: at(0), kind: 'minted', expiresAt: at(60), accessKeyIdMasked: 'ASIA…WXYZ' },
    ]);
    expect(await next.events('ops')).toEqual([{ at: at(1), kind: 'deactivated' }]);
    expect(await next.events('nobody')).toEqual([]);
  });

  it(`keeps only the last ${TIMELINE_LIMIT} events of each profile`, async () => {
    const timeline = new ProfileTimeline({ dataDir: await dataDir() });
    for (let minute = 0; minute < TIMELINE_LIMIT + 20; minute += 1) timeline.record('dev', { at: at(minute), kind: 'refreshed' });
    timeline.record('ops', { at: at(0), kind: 'minted' });
    const events = await timeline.events('dev');
    expect(events).toHaveLength(TIMELINE_LIMIT);
    expect(events[0]?.at).toBe(at(TIMELINE_LIMIT + 19));
    expect(events.at(-1)?.at).toBe(at(20));
    expect(await timeline.events('ops')).toHaveLength(1);
  });

  it('moves the history with a rename and drops it with a removal', async () => {
    const dir = await dataDir();
    const timeline = new ProfileTimeline({ dataDir: dir });
    timeline.record('dev', { at: at(0), kind: 'minted' });
    timeline.rename('dev', 'dev2');
    timeline.record('dev2', { at: at(1), kind: 'delivered' });
    timeline.record('gone', { at: at(2), kind: 'minted' });
    timeline.forget('gone');
    expect((await timeline.events('dev2')).map((event) => event.kind)).toEqual(['delivered', 'minted']);
    expect(await timeline.events('dev')).toEqual([]);
    const file = JSON.parse(await readFile(join(dir, TIMELINE_FILE_NAME), 'utf8')) as { profiles: Record<string, TimelineEvent[]> };
    expect(Object.keys(file.profiles)).toEqual(['dev2']);
  });

  it('writes no secret-shaped text: a failure\'s detail is redacted on the way in', async () => {
    const dir = await dataDir();
    const timeline = new ProfileTimeline({ dataDir: dir });
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    timeline.record('dev', {
      at: at(0),
      kind: 'failed',
      problem: { code: 'SERVICE_ERROR', message: 'Roles Anywhere returned an unexpected error.', next: 'Try again.', detail: `aws_secret_access_key=${secret}` },
    });
    const [event] = await timeline.events('dev');
    expect(event?.problem?.code).toBe('SERVICE_ERROR');
    expect(event?.problem?.detail).not.toContain(secret);
    expect(await readFile(join(dir, TIMELINE_FILE_NAME), 'utf8')).not.toContain(secret);
  });

  it('a burst of events shares a few writes instead of one each', async () => {
    const dir = await dataDir();
    const timeline = new ProfileTimeline({ dataDir: dir });
    for (let index = 0; index < 200; index += 1) timeline.record(`p${index}`, { at: at(0), kind: 'refreshed' });
    await timeline.flush();
    const file = JSON.parse(await readFile(join(dir, TIMELINE_FILE_NAME), 'utf8')) as { profiles: Record<string, TimelineEvent[]> };
    expect(Object.keys(file.profiles)).toHaveLength(200);
  });
});

describe('the session engine records into the timeline', () => {
  const setUp = useRig();

  it('minted and delivered on activation, refreshed and delivered on refresh, failed with its cause, deactivated', async () => {
    const r = await setUp();
    const timeline = new ProfileTimeline({ dataDir: await dataDir() });
    const manager = r.restart({ timeline });
    await manager.activate('dev');
    await manager.refresh('dev');
    r.sandbox.config.profiles[0]!.enabled = false;
    await expect(manager.refresh('dev')).rejects.toMatchObject({ code: 'RA_PROFILE_DISABLED' });
    await manager.deactivate('dev');

    const events = await timeline.events('dev');
    expect(events.map((event) => event.kind)).toEqual(['deactivated', 'failed', 'delivered', 'refreshed', 'delivered', 'minted']);
    const [, failed, , refreshed] = events;
    expect(failed?.problem).toMatchObject({ code: 'RA_PROFILE_DISABLED', message: expect.any(String), next: expect.any(String) });
    expect(refreshed?.accessKeyIdMasked).toMatch(/^ASIA…[A-Z0-9]{4}$/);
    expect(Date.parse(refreshed?.expiresAt ?? '')).toBeGreaterThan(Date.parse(refreshed?.at ?? ''));
    // Nothing the sandbox issued as a secret is in the history.
    const text = JSON.stringify(events);
    for (const issued of r.sandbox.allIssuedCredentials()) {
      expect(text).not.toContain(issued.secretAccessKey);
      expect(text).not.toContain(issued.sessionToken);
      expect(text).not.toContain(issued.accessKeyId);
    }
  });
});
