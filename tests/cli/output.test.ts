// The terminal output writes its error line to the stream it was made for, coloured only on a terminal.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTerminalOutput } from '../../src/cli/output';

/** A real stream that keeps what is written to it; `isTTY` as a terminal would report it. */
function captureStream(isTTY: boolean): Writable & { readonly isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('error lines', () => {
  it('go to the stream given, not to standard error', () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const stream = captureStream(false);
    createTerminalOutput(stream, {}).error('The profile name is not valid.', 'PROFILE_NAME_INVALID');
    expect(stream.text()).toBe('rolecall: The profile name is not valid. [PROFILE_NAME_INVALID]\n');
    expect(stderr).not.toHaveBeenCalled();
  });

  it('leave out the code tag when there is no code', () => {
    const stream = captureStream(false);
    createTerminalOutput(stream, {}).error('Something failed.');
    expect(stream.text()).toBe('rolecall: Something failed.\n');
  });

  it('colour the prefix on a terminal unless NO_COLOR is set', () => {
    const terminal = captureStream(true);
    createTerminalOutput(terminal, {}).error('Stopped.', 'INTERNAL');
    expect(terminal.text()).toBe('\u001b[31mrolecall:\u001b[39m Stopped. [INTERNAL]\n');

    const noColour = captureStream(true);
    createTerminalOutput(noColour, { NO_COLOR: '1' }).error('Stopped.', 'INTERNAL');
    expect(noColour.text()).toBe('rolecall: Stopped. [INTERNAL]\n');
  });
});
