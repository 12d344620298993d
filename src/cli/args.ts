// Command-line parsing on node's util.parseArgs (no dependency, fast start), with our own errors and help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RolecallError } from '../shared/errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
  readonly options: ReadonlyArray<readonly [flag: string, description: string]>;
  readonly notes?: readonly string[];
}

export interface ParsedArgs<O extends OptionSpec> {
  readonly values: { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string };
  readonly positionals: string[];
}

export function parseCommandArgs<O extends OptionSpec>(argv: readonly string[], options: O, allowPositionals = false): ParsedArgs<O> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals, strict: true });
    return { values: values as ParsedArgs<O>['values'], positionals };
  } catch (error) {
    // parseArgs' messages name the offending flag and carry no secrets.
    throw new RolecallError('USAGE', error instanceof Error ? error.message : String(error));
  }
}

/** The arguments, or undefined once `--help` was asked for and `help` printed: the command then exits 0. */
export function parseCommandArgsOrHelp<O extends OptionSpec>(argv: readonly string[], options: O, help: string, allowPositionals = false): ParsedArgs<O> | undefined {
  const parsed = parseCommandArgs(argv, options, allowPositionals);
  if ((parsed.values as { readonly help?: boolean }).help !== true) return parsed;
  process.stdout.write(help);
  return undefined;
}

export function formatHelp(help: CommandHelp): string {
  const width = Math.max(...help.options.map(([flag]) => flag.length), 10);
  const lines = [`Usage: ${help.usage}`, '', help.summary, ''];
  if (help.options.length > 0) {
    lines.push('Options:');
    for (const [flag, description] of help.options) lines.push(`  ${flag.padEnd(width)}  ${description}`);
  }
  for (const note of help.notes ?? []) lines.push('', note);
  return lines.join('\n') + '\n';
}

export type Subcommand = (argv: string[]) => Promise<number>;

/**
 * `rolecall GROUP SUBCOMMAND …`: the group's help for none or --help (exit 2 for none: it was not a
 * command), USAGE naming the choices for an unknown one, else the subcommand with the rest.
 */
export function runSubcommand(group: string, subcommands: Readonly<Record<string, Subcommand>>, help: string, argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    process.stdout.write(help);
    return Promise.resolve(subcommand === undefined ? 2 : 0);
  }
  const handler = Object.hasOwn(subcommands, subcommand) ? subcommands[subcommand] : undefined;
  if (!handler) {
    const names = Object.keys(subcommands);
    throw new RolecallError('USAGE', `unknown subcommand "${group} ${subcommand}"; use ${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`);
  }
  return handler(rest);
}

/** A --json answer: indented, one trailing newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const EXIT_CODES_HELP = 'Exit codes: 0 success; 1 failure (message on stderr); 2 usage error.';
