// How the import preview reads a plan: which lines can be taken over, which need a passphrase first.
import type { ImportCandidate, ProblemView } from '../../shared/model';

const PASSPHRASE_CODES = new Set(['KEY_PASSPHRASE_REQUIRED']);

/** An encrypted key is no reason to skip a line: the dialog asks for its passphrase. */
export function needsPassphrase(candidate: ImportCandidate): boolean {
  return candidate.problems.some((problem) => PASSPHRASE_CODES.has(problem.code));
}

/** Problems that stop this line from being imported as it is. */
export function importBlockers(candidate: ImportCandidate): readonly ProblemView[] {
  return candidate.problems.filter((problem) => !PASSPHRASE_CODES.has(problem.code));
}

export function isImportable(candidate: ImportCandidate): boolean {
  return importBlockers(candidate).length === 0;
}

export type DiffLineKind = 'added' | 'removed' | 'hunk' | 'file' | 'context';

export function diffLineKind(line: string): DiffLineKind {
  if (line.startsWith('+++') || line.startsWith('---')) return 'file';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}
