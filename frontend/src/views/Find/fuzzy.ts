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

function score(text: string, query: string): number {
  const t = text.toLowerCase();
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

export function fuzzyFind(candidates: readonly Candidate[], query: string, limit = 20): Match[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: Match[] = [];
  for (const candidate of candidates) {
    const best = Math.max(score(candidate.id, q), score(candidate.label, q));
    if (best > 0) out.push({ ...candidate, score: best });
  }
  out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return out.slice(0, limit);
}
