// The operations only the desktop can answer (exposure "app"): they need the clipboard, a file dialog
// or the file manager, so main implements them on top of the agent's own operations.
import { promises as fs } from 'node:fs';
import type { Logger } from '../core/log';
import { readInputFile } from '../core/pki';
import type { AppOperation } from '../core/operations/handler-table';
import type { OperationName } from '../shared/contract';
import { RolecallError } from '../shared/errors';
import type { OperationHandler, OperationHandlers } from './agent-host';
import { describeChosenFile, draftPathsFromChoice } from './certificate-choice';
import type { ClipboardCopier } from './clipboard';

export interface AppHandlerOptions {
  readonly agent: OperationHandlers;
  readonly copier: ClipboardCopier;
  /** Shows the open-file dialog; resolves with the chosen paths, none when cancelled. */
  chooseFiles(): Promise<readonly string[]>;
  /** Shows the open-file dialog for a CA bundle; resolves with its path, undefined when cancelled. */
  chooseCaFile(): Promise<string | undefined>;
  /** Puts a text on the clipboard as it is, to stay (nothing secret goes this way). */
  writeClipboard(text: string): void;
  /** Shows the save dialog with this file name suggested; resolves with the chosen path, undefined when cancelled. */
  chooseSavePath(fileName: string): Promise<string | undefined>;
  /** shell.openPath: resolves with an error message, empty on success. */
  openPath(path: string): Promise<string>;
  /** shell.openExternal: the default browser. */
  openExternal(url: string): Promise<void>;
  readonly logsFolder: string;
  readonly logger: Logger;
}

/** The operations only the app serves, as the contract's exposure names them: one missing is a compile error. */
export type AppHandlers = { readonly [N in AppOperation]: OperationHandler<N> };

export function appHandlers(options: AppHandlerOptions): AppHandlers {
  // The agent's handlers answer `unknown`; these answer what the contract says they do.
  const agentOperation = <N extends OperationName>(name: N): OperationHandler<N> => {
    const handler = options.agent[name];
    if (handler === undefined) throw new RolecallError('INTERNAL', `${name} is not available`);
    return handler as OperationHandler<N>;
  };
  return {
    async 'env.copy'({ name, shell }) {
      const { script } = await agentOperation('env.render')({ name, shell });
      const { clearsAt } = options.copier.copy(script);
      return { clearsAt: new Date(clearsAt).toISOString() };
    },
    async 'files.chooseCertificate'() {
      const paths = await options.chooseFiles();
      if (paths.length === 0) return null;
      const files = [];
      for (const path of paths) files.push(describeChosenFile(path, await readInputFile(path, 'chosen file')));
      return agentOperation('drafts.open')(draftPathsFromChoice(files));
    },
    async 'logs.openFolder'() {
      await fs.mkdir(options.logsFolder, { recursive: true, mode: 0o700 });
      const problem = await options.openPath(options.logsFolder);
      // The answer carries the path either way, so the window can show where the logs are.
      if (problem) options.logger.warn('Could not open the logs folder', { path: options.logsFolder, problem });
      return { path: options.logsFolder };
    },
    async 'console.open'({ name, destination }) {
      // The sign-in URL goes from the agent straight to the browser: the window only learns the page.
      const { url } = await agentOperation('console.url')({ name, ...(destination !== undefined && { destination }) });
      try {
        await options.openExternal(url);
      } catch {
        throw new RolecallError('BROWSER_UNAVAILABLE', 'the system did not open the URL');
      }
      return { destination: new URL(url).searchParams.get('Destination') ?? '' };
    },
    async 'sandbox.trustChosenCa'() {
      const caPath = await options.chooseCaFile();
      // The path stays in main: the window only ever sees what the sandbox made of it.
      return caPath === undefined ? null : agentOperation('sandbox.trustCa')({ caPath });
    },
    async 'text.copy'({ text }) {
      options.writeClipboard(text);
      return { copied: true };
    },
    async 'text.save'({ text, fileName }) {
      const path = await options.chooseSavePath(fileName);
      if (path === undefined) return null;
      try {
        await fs.writeFile(path, text, { mode: 0o644 });
      } catch (error) {
        throw new RolecallError('FILE_UNWRITABLE', `${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
      }
      return { path };
    },
  };
}
