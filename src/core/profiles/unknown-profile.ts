// PROFILE_NOT_FOUND with a "did you mean …?" when a known name is a likely typo of the one given: every
// command that takes a profile name reaches the agent's profiles through here, so all of them suggest.
import { RolecallError } from '../../shared/errors';

const MAX_SUGGESTIONS = 3;

/** PROFILE_NOT_FOUND for `name`, suggesting the closest of `known`. */
export function unknownProfile(name: string, known: Iterable<string>): RolecallError {
  const suggestions = closeNames(name, known);
  if (suggestions.length === 0) return new RolecallError('PROFILE_NOT_FOUND', name);
  const listed = suggestions.length === 1 ? suggestions[0] : `${suggestions.slice(0, -1).join(', ')} or ${suggestions.at(-1)}`;
  return new RolecallError('PROFILE_NOT_FOUND', `${name}; did you mean ${listed}?`);
}

/**
 * The known names nearest to `name` (case-insensitive edit distance, a swap of two neighbours counting
 * once), best first: those within a third of its length (at least one edit), or that it begins or ends.
 */
export function closeNames(name: string, known: Iterable<string>): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const scored: { name: string; distance: number }[] = [];
  for (const candidate of new Set(known)) {
    if (candidate === name) continue;
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower);
    const affix = wanted.length >= 2 && (lower.startsWith(wanted) || lower.endsWith(wanted));
    if (distance <= limit || affix) scored.push({ name: candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, MAX_SUGGESTIONS).map((entry) => entry.name);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}
