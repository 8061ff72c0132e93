/** The middle of `values` (the upper middle of an even count): what the benches report of repeated rounds on a shared machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
