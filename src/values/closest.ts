/** The known name a mistyped one was probably meant as: a JSON Feed member, a configuration key. */

/** Nearest defined key by a small edit distance over a case- and separator-folded form. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
  const fold = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const k = fold(key);
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = k === fold(c) ? 0 : editDistance(k, fold(c), bestD);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap || a.length > 40) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
