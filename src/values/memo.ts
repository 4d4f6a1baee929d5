/**
 * `make` remembered per key, for values several rules read from one document (its dates):
 * computed once each. Bounded, so a hostile feed's distinct values cannot pile up; the
 * results are shared, so they must not be mutated.
 */
export function boundedMemo<V>(make: (key: string) => V, max = 4096): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    let value = known.get(key);
    if (value !== undefined || known.has(key)) return value as V;
    value = make(key);
    if (known.size >= max) known.clear();
    known.set(key, value);
    return value;
  };
}
