// What Rolecall changed about the user's AWS files beyond its own keys, per file, in its data folder
// (<dataDir>/aws-files.json, never a secret): each file's mode and owner (or absence) before Rolecall
// first wrote into it, which profile names hold something in it now, and where the lines a takeover
// replaced are kept (keychain items). Per file rather than per delivery record because several names
// share one file: its mode comes back only when the last of them leaves.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { profileNameSchema } from '../../shared/contract';
import { readFileState, restoreFileState } from '../awsfiles';
import type { Logger } from '../log';
import { JsonDocument } from '../store';

export const AWS_FILE_LEDGER_NAME = 'aws-files.json';

const fileSchema = z.object({
  path: z.string().min(1),
  /** Mode and owner before Rolecall first wrote into it; null when Rolecall created it. */
  before: z.object({ mode: z.number().int().min(0), uid: z.number().int(), gid: z.number().int() }).nullable(),
  /** Profile names that have written into it and not yet left. */
  holders: z.array(profileNameSchema),
});

const keptSchema = z.object({
  name: profileNameSchema,
  path: z.string().min(1),
  kind: z.enum(['credentials', 'config']),
  /** The keychain account holding the lines. */
  account: z.string().min(1),
});

const ledgerSchema = z.object({ files: z.array(fileSchema), kept: z.array(keptSchema) });

type Ledger = z.infer<typeof ledgerSchema>;

/** Where the lines a takeover of one name in one file replaced are kept. */
export type KeptLines = z.infer<typeof keptSchema>;

export class AwsFileLedger {
  private readonly document: JsonDocument<Ledger>;
  private readonly scope: string;

  constructor(options: { readonly dataDir: string; readonly logger?: Logger }) {
    this.document = new JsonDocument({
      path: join(options.dataDir, AWS_FILE_LEDGER_NAME),
      schema: ledgerSchema,
      defaultValue: () => ({ files: [], kept: [] }),
      ...(options.logger && { logger: options.logger }),
    });
    // Two data folders (ROLECALL_HOME) share one keychain: their items must not meet.
    this.scope = shortHash(options.dataDir);
  }

  /** Call before `name` writes into `path`: the first writer of a file records what it was. */
  async enter(name: string, path: string): Promise<void> {
    const { files } = await this.document.read();
    if (files.some((file) => file.path === path && file.holders.includes(name))) return;
    await this.document.update(async (ledger) => {
      const file = ledger.files.find((entry) => entry.path === path);
      if (file) {
        if (file.holders.includes(name)) return ledger;
        return { ...ledger, files: ledger.files.map((entry) => (entry === file ? { ...entry, holders: [...entry.holders, name] } : entry)) };
      }
      return { ...ledger, files: [...ledger.files, { path, before: await readFileState(path), holders: [name] }] };
    });
  }

  /** Files `name` holds something in. */
  async held(name: string): Promise<string[]> {
    const { files } = await this.document.read();
    return files.filter((file) => file.holders.includes(name)).map((file) => file.path);
  }

  /**
   * `name` holds nothing more in `paths`. A file no name holds gets its earlier mode and owner back (or
   * goes, if Rolecall created it and it is empty), under the ledger's lock so that no other name can
   * enter the file halfway through.
   */
  async leave(name: string, paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.document.update(async (ledger) => {
      const files: Ledger['files'] = [];
      for (const file of ledger.files) {
        if (!paths.includes(file.path) || !file.holders.includes(name)) {
          files.push(file);
          continue;
        }
        const holders = file.holders.filter((holder) => holder !== name);
        if (holders.length > 0) files.push({ ...file, holders });
        else await restoreFileState(file.path, file.before);
      }
      return { ...ledger, files };
    });
  }

  /** Where lines taken over from `name`'s sections are kept. */
  async kept(name: string): Promise<KeptLines[]> {
    const { kept } = await this.document.read();
    return kept.filter((entry) => entry.name === name);
  }

  /** The keychain account for the lines taken over from `name`'s section in `path`. */
  keptAccount(name: string, path: string): string {
    return `taken:${this.scope}:${shortHash(path)}:${name}`;
  }

  async keep(entry: KeptLines): Promise<void> {
    await this.document.update((ledger) => ({
      ...ledger,
      kept: [...ledger.kept.filter((kept) => !(kept.name === entry.name && kept.path === entry.path)), { ...entry }],
    }));
  }

  async forget(name: string, path: string): Promise<void> {
    await this.document.update((ledger) => ({ ...ledger, kept: ledger.kept.filter((kept) => !(kept.name === name && kept.path === path)) }));
  }
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
