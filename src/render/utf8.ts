/**
 * A document's UTF-8 bytes, encoded from its pieces a few thousand characters at a time.
 * Why not `Buffer.from(pieces.join(''))`: a string of more than 64k characters beyond Latin-1
 * (one curly apostrophe makes the whole string two bytes a character) exceeds V8's 128 KB
 * regular-object limit and gets pages of its own, mapped and unmapped each time: ~0.5 ms a
 * document, six times what encoding it costs. An archive build renders 3,000 such documents.
 */

/** Characters joined before encoding: at two bytes each, well below 128 KB. */
const GROUP_CHARS = 16 * 1024;

/** The bytes of the pieces, each followed by `after` ('' by default: the pieces joined). */
export function utf8Of(pieces: readonly string[], after = ''): Buffer {
  const groups: string[] = [];
  let group: string[] = [];
  let chars = 0;
  const flush = (): void => {
    if (group.length > 0) groups.push(group.join(after) + after);
    group = [];
    chars = 0;
  };
  for (const piece of pieces) {
    if (chars + piece.length > GROUP_CHARS) flush();
    group.push(piece);
    chars += piece.length + after.length;
  }
  flush();
  // One buffer of the exact size, as Buffer.from would make: no parts left for the collector. Shared memory:
  // the compression and checking threads get a document without a copy (posting a feed set's 117 copied took
  // the main thread ~0.1 s of its gate, and each thread held its own copy meanwhile).
  let size = 0;
  for (const g of groups) size += Buffer.byteLength(g, 'utf8');
  const out = Buffer.from(new SharedArrayBuffer(size));
  let at = 0;
  for (const g of groups) at += out.write(g, at, 'utf8');
  return out;
}
