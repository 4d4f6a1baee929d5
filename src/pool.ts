/**
 * Runs `work` over `items` (each with its index) with at most `limit` in flight, each item started in order; the first
 * failure stops new work, waits for the work in flight (nothing is left running on a directory its
 * caller is about to remove), and is rethrown.
 */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed !== undefined) throw failed.err;
}
