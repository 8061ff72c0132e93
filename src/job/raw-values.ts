/**
 * The raw document as `toJS` gives it, before the schema has vouched for
 * anything: the checks look into it through these guards.
 */

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
