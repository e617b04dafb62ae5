/**
 * Fuzzy matching of tasks by id and display name: exact beats prefix beats substring beats a
 * scattered subsequence (fewer gaps first), so "ldcu" finds "load_customers" and "load" lists
 * "load" before "reload_all".
 */
export interface Candidate {
  id: string;
  label: string;
}

export interface Match extends Candidate {
  score: number;
}

/** `t`: the text already lower-cased. */
function score(t: string, query: string): number {
  if (t === query) return 1000;
  if (t.startsWith(query)) return 900 - Math.min(99, t.length - query.length);
  const at = t.indexOf(query);
  if (at >= 0) {
    const wordStart = at === 0 || /[._\-\s]/.test(t[at - 1]);
    return (wordStart ? 850 : 800) - Math.min(99, at);
  }
  let gaps = 0;
  let from = 0;
  for (const char of query) {
    const found = t.indexOf(char, from);
    if (found < 0) return 0;
    if (found > from) gaps += 1;
    from = found + 1;
  }
  return Math.max(1, 500 - gaps * 20 - Math.min(99, t.length - query.length));
}

interface Lowered {
  candidate: Candidate;
  id: string;
  /** null when the label reads the same as the id. */
  label: string | null;
}

// Lower-cased once per candidate list (a structure's nodes), not on every keystroke.
const lowered = new WeakMap<readonly Candidate[], Lowered[]>();

function lowerAll(candidates: readonly Candidate[]): Lowered[] {
  let out = lowered.get(candidates);
  if (!out) {
    out = candidates.map((candidate) => {
      const id = candidate.id.toLowerCase();
      const label = candidate.label.toLowerCase();
      return { candidate, id, label: label === id ? null : label };
    });
    lowered.set(candidates, out);
  }
  return out;
}

export function fuzzyFind(candidates: readonly Candidate[], query: string, limit = 20): Match[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: Match[] = [];
  for (const { candidate, id, label } of lowerAll(candidates)) {
    const best = label === null ? score(id, q) : Math.max(score(id, q), score(label, q));
    if (best > 0) out.push({ id: candidate.id, label: candidate.label, score: best });
  }
  out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return out.slice(0, limit);
}
