/**
 * How V8 sizes the heap during a build. Collecting the store builds what lives for the whole
 * build (a row per article, the selection); rendering and checking documents afterwards churns
 * short-lived garbage. V8's memory-saving mode (`--optimize-for-size`: a young generation that
 * does not grow, an old one grown by small steps) suits the first and not the second. Measured
 * on a 100k-article store (BENCHMARKS.md): the main feed's cold build peaks at ~200 MB instead
 * of ~285 MB for ~1.4 s more; left on for the 300 archive documents of a 10k store, it made
 * that build ~45 % slower, so it covers the collection only. The heap takes the switch at its
 * next decision, as it does when an embedder puts an isolate in the background.
 */
import { setFlagsFromString } from 'node:v8';

const FLAG = /^--(no-)?optimize[-_]for[-_]size(=|$)/;

/** An operator who passed the flag to node (`node --optimize-for-size …`) chose the mode for the whole run; Node refuses it in NODE_OPTIONS. */
const chosenByOperator = (): boolean => process.execArgv.some((arg) => FLAG.test(arg));

/** Runs `collect` in the memory-saving mode, then goes back to V8's default. */
export async function leanWhile<T>(collect: () => Promise<T>): Promise<T> {
  if (chosenByOperator()) return collect();
  setFlagsFromString('--optimize-for-size');
  try {
    return await collect();
  } finally {
    setFlagsFromString('--no-optimize-for-size');
  }
}
