/**
 * How V8 sizes the heap during a build. Collecting the store builds what lives for the whole
 * build (a row per article, the selection); rendering bodies and checking documents afterwards
 * churns short-lived garbage. V8's memory-saving mode (`--optimize-for-size`: a young generation
 * that does not grow, an old one grown by small steps) suits the first and not the second.
 * Measured on a 100k-article store (BENCHMARKS.md): the main feed's cold build peaks at ~200 MB
 * instead of ~285 MB for ~1.4 s more; left on for the 300 archive documents of a 10k store, it
 * made that build ~45 % slower, and for the ~2,000 bodies of the default feed set ~10-20 %
 * slower, so it covers reading the store only. The heap takes the switch at its next decision,
 * as it does when an embedder puts an isolate in the background.
 */
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const FLAG = /^--(no-)?optimize[-_]for[-_]size(=|$)/;
const SEMI_SPACE = /^--max[-_]semi[-_]space[-_]size=(\d+)$/;

/** An operator who passed the flag to node (`node --optimize-for-size …`) chose the mode for the whole run; Node refuses it in NODE_OPTIONS. */
const chosenByOperator = (): boolean => process.execArgv.some((arg) => FLAG.test(arg));

/** What the operator gave node: its command line, then NODE_OPTIONS. */
const nodeFlags = (): string[] => [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];

/**
 * The young generation's cap for isolates made from now on. The memory-saving mode also sets it
 * to 1 MB, and turning the mode off leaves it there: every worker thread made afterwards (the
 * gate's checkers, body renderers beyond the first) then collected its garbage every megabyte,
 * 11,575 times in a 100k store's archive build instead of 664. 0 lets V8 size it; an operator's
 * own value (command line or NODE_OPTIONS) is kept. This isolate's cap was set at start-up.
 */
function semiSpaceCap(): string {
  const given = nodeFlags().map((arg) => SEMI_SPACE.exec(arg)?.[1]).filter((v) => v !== undefined);
  return given.at(-1) ?? '0';
}

/**
 * Runs `collect` in the memory-saving mode, then goes back to V8's default; `collect` may end
 * the mode sooner (`endLean`), once what lives for the build is read.
 */
export async function leanWhile<T>(collect: (endLean: () => void) => Promise<T>): Promise<T> {
  if (chosenByOperator()) return collect(() => undefined);
  setFlagsFromString('--optimize-for-size');
  let lean = true;
  const endLean = (): void => {
    if (!lean) return;
    lean = false;
    // In this order: while the mode is on, V8 applies its 1 MB cap again after every flag it is given.
    setFlagsFromString('--no-optimize-for-size');
    setFlagsFromString(`--max-semi-space-size=${semiSpaceCap()}`);
  };
  try {
    return await collect(endLean);
  } finally {
    endLean();
  }
}

let fullCollection: (() => void) | undefined;
/** Old-generation bytes in use on this thread after its last collection by `collectNow`; undefined before the first. */
let aliveAfterCollection: number | undefined;

/** The function V8 exposes under `--expose-gc`, made once per thread; undefined if this thread could not have it (yet). */
function collector(): (() => void) | undefined {
  if (fullCollection === undefined) {
    const exposed = nodeFlags().some((arg) => /^--expose[-_]gc$/.test(arg));
    setFlagsFromString('--expose-gc');
    try {
      // Flags are the process's: a worker thread putting the flag back at the same moment leaves this context without gc.
      fullCollection = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
    } finally {
      if (!exposed) setFlagsFromString('--no-expose-gc');
    }
  }
  return fullCollection;
}

/**
 * A full collection now, where a phase of the build ends and what it made is garbage. Out of the
 * memory-saving mode V8 lets the old generation grow several times over before collecting it:
 * on the feed set of a 100k store (no archive pages), 216 MB were in use after the gate for 33 MB alive, and
 * the publication's compression threads came on top of them. Taken here, the pages V8 frees go
 * back to the system before the next phase. V8 offers the call only to contexts made while
 * `--expose-gc` is on: one is made for it, and the flag is put back at once.
 *
 * `compact`: collect again while the heap shrinks (at most three times). One collection moves
 * the objects of the emptiest pages only: after rendering the feed set of a 100k store, 102 MB
 * stayed committed for 29 MB alive; two more collections (~25 ms each) brought it to 68 MB.
 */
export function collectNow(options: { compact?: boolean } = {}): void {
  const collect = collector();
  if (!collect) return;
  collect();
  if (options.compact) {
    for (let round = 1, size = getHeapStatistics().total_heap_size; round < 3; round++) {
      collect();
      const after = getHeapStatistics().total_heap_size;
      if (after > size * 0.95) break;
      size = after;
    }
  }
  aliveAfterCollection = oldGenerationUsed();
}

/**
 * Bytes in use outside the young generation's semi-spaces: what a full collection frees (large
 * young objects are counted, they are few). The semi-spaces fill and empty on their own, by up
 * to 32 MB, and would set off full collections that free nothing more.
 */
function oldGenerationUsed(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics()) if (space.space_name !== 'new_space') used += space.space_used_size;
  return used;
}

/**
 * A full collection once this thread's old generation holds half as much again as was alive
 * after the last one, and 8 MB more, for a thread that makes large garbage in a loop. Each
 * document the gate validates leaves its text (a string of up to twice its bytes, which V8 puts
 * straight in the old generation past 128 KB) and its tree, which outlives a few young
 * collections: V8 lets that grow several times over before a full collection of its own (80-120
 * MB in the feed set's gate on a 100k store, for ~30 MB alive). The first call only measures.
 */
export function collectWhenGrown(): void {
  const used = oldGenerationUsed();
  if (aliveAfterCollection === undefined) aliveAfterCollection = used;
  else if (used > 1.5 * aliveAfterCollection + 8 * 1024 * 1024) collectNow();
}
