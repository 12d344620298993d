import { describe, expect, it } from 'vitest';
import { CLIPBOARD_CLEAR_MS, createClipboardCopier } from '../../src/main/clipboard';
import { VirtualClock } from '../helpers/virtual-clock';
import { NOW } from './views';

function setup() {
  let content = 'what the user had';
  const writes: string[] = [];
  const clipboard = {
    readText: () => content,
    writeText: (text: string) => {
      writes.push(text);
      content = text;
    },
  };
  const clock = new VirtualClock({ start: NOW });
  const copier = createClipboardCopier(clipboard, clock);
  return { copier, clock, writes, content: () => content, userCopies: (text: string) => (content = text) };
}

const script = 'export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=secret\n';

describe('createClipboardCopier', () => {
  it('copies, says when it clears, and clears after 60 seconds', async () => {
    const { copier, clock, content } = setup();
    expect(copier.copy(script)).toEqual({ clearsAt: NOW + 60_000 });
    expect(CLIPBOARD_CLEAR_MS).toBe(60_000);
    await clock.advance(59_999);
    expect(content()).toBe(script);
    await clock.advance(1);
    expect(content()).toBe('');
  });

  it('leaves alone what the user copied in the meantime', async () => {
    const { copier, clock, content, userCopies } = setup();
    copier.copy(script);
    userCopies('a URL the user copied');
    await clock.advance(60_000);
    expect(content()).toBe('a URL the user copied');
  });

  it('restarts the 60 seconds when something else is copied, and clears only the latest', async () => {
    const { copier, clock, content, writes } = setup();
    copier.copy(script);
    await clock.advance(30_000);
    copier.copy('second');
    await clock.advance(30_000);
    expect(content()).toBe('second');
    await clock.advance(30_000);
    expect(content()).toBe('');
    expect(writes).toEqual([script, 'second', '']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('clears at once at quit if the clipboard still holds the credentials', () => {
    const { copier, clock, content } = setup();
    copier.copy(script);
    copier.clearNow();
    expect(content()).toBe('');
    expect(clock.pendingTimers).toBe(0);
    copier.clearNow();
    expect(content()).toBe('');
  });
});
