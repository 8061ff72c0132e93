/**
 * How a copyPages call splits its table's BatchWriteItem slots and rate
 * limits: among the segments still copying when the workflow scheduled it
 * (CopyPagesInput.activeSegments), or among all of them for a call from a
 * run that predates the count. Segments end unevenly, so the last ones take
 * what the finished ones left. The count only falls as segments finish and
 * a call keeps the share it started with, so the calls running at any time,
 * on any number of workers, never take more than the whole.
 */
export function sharingSegments(input: { totalSegments: number; activeSegments?: number }): number {
  const active = input.activeSegments;
  if (active === undefined || !Number.isInteger(active)) return input.totalSegments;
  return Math.min(input.totalSegments, Math.max(1, active));
}

/** BatchWriteItem requests one call keeps in flight: its share of the table's, at least 2 so that one request's wait does not stall the segment. */
export function writeSlots(writeConcurrency: number, sharing: number): number {
  return Math.max(2, Math.ceil(writeConcurrency / sharing));
}
