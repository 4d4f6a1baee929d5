/**
 * A copy of `text` sharing no memory with the string it was cut from. V8 keeps a slice of 13
 * characters or more as a view on the whole string: a date kept in a cache, or an id in a
 * summary, kept the entire decoded document alive (600 KB for a full-content feed, 63 MB for the
 * gate of a feed set). JSON.parse builds new strings.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/**
 * `make` remembered per key, for values several rules read from one document (its dates):
 * computed once each. Bounded, so a hostile feed's distinct values cannot pile up; the
 * results are shared, so they must not be mutated. Keys are kept detached from the document
 * they were read in, which the memo outlives.
 */
export function boundedMemo<V>(make: (key: string) => V, max = 4096): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    let value = known.get(key);
    if (value !== undefined || known.has(key)) return value as V;
    value = make(key);
    if (known.size >= max) known.clear();
    known.set(detached(key), value);
    return value;
  };
}
