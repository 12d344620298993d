// Terminal output with optional colour (off for NO_COLOR, non-TTYs and dumb terminals).
import type { ErrorCode } from '../shared/errors';

export interface TerminalOutput {
  readonly color: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  error(message: string, code?: ErrorCode): void;
}

/** What the output needs of a stream: to know whether it is a terminal, and to write to it. */
type OutputStream = Pick<NodeJS.WritableStream, 'write'> & { readonly isTTY?: boolean };

export function createTerminalOutput(stream: OutputStream = process.stderr, env: NodeJS.ProcessEnv = process.env): TerminalOutput {
  const color = Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  const paint = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  const red = paint(31, 39);
  return {
    color,
    bold: paint(1, 22),
    dim: paint(2, 22),
    red,
    green: paint(32, 39),
    yellow: paint(33, 39),
    error(message, code) {
      const tag = code ? ` [${code}]` : '';
      stream.write(`${red('rolecall:')} ${message}${tag}\n`);
    },
  };
}
