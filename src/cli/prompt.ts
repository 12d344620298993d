// Passphrase prompts read the controlling terminal, not stdin: under credential_process stdin and
// stdout belong to the SDK, and the passphrase must never be echoed.
import { openSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import { RolecallError } from '../shared/errors';

function openTerminal(): { input: ReadStream; output: WriteStream; close(): void } {
  let readFd: number;
  let writeFd: number;
  try {
    readFd = openSync(process.platform === 'win32' ? 'CONIN$' : '/dev/tty', 'r');
    writeFd = openSync(process.platform === 'win32' ? 'CONOUT$' : '/dev/tty', 'w');
  } catch {
    throw new RolecallError('NO_TTY');
  }
  const input = new ReadStream(readFd);
  const output = new WriteStream(writeFd);
  return {
    input,
    output,
    close() {
      input.destroy();
      output.destroy();
      for (const fd of [readFd, writeFd]) {
        try {
          closeSync(fd);
        } catch {
          // Already closed by the stream.
        }
      }
    },
  };
}

export function promptSecret(question: string): Promise<string> {
  const terminal = openTerminal();
  const { input, output } = terminal;
  return new Promise<string>((resolve, reject) => {
    let answer = '';
    const finish = (error?: RolecallError) => {
      input.setRawMode(false);
      input.off('data', onData);
      output.write('\n');
      terminal.close();
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new RolecallError('USAGE', 'cancelled'));
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    output.write(question);
    input.setRawMode(true);
    input.on('data', onData);
  });
}

/** A yes/no question on the terminal: true only for "y" or "yes"; Ctrl-C and Ctrl-D mean no. */
export function confirm(question: string): Promise<boolean> {
  const terminal = openTerminal();
  const lines = createInterface({ input: terminal.input, output: terminal.output, terminal: true });
  return new Promise<boolean>((resolve) => {
    let answered = false;
    const finish = (yes: boolean) => {
      if (answered) return;
      answered = true;
      lines.close();
      terminal.close();
      resolve(yes);
    };
    lines.on('SIGINT', () => {
      terminal.output.write('\n');
      finish(false);
    });
    lines.on('close', () => finish(false));
    lines.question(`${question} [y/N] `, (answer) => finish(/^y(es)?$/i.test(answer.trim())));
  });
}
