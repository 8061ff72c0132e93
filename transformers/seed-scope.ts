/**
 * The seed scope of a transformer instance: what, beside the salt and the
 * input, keys its random stream. The registry derives it from the
 * definition's name and the parsed options, so no definition can name its
 * own scope (and a copied file cannot share another transformer's stream).
 */

/**
 * Its name and its parsed options (defaults filled in, keys sorted), so `{}`
 * and `{ preserveDomain: false }` give the same fakes and two transformers
 * never share a stream. JSON, so it is prefix-free.
 */
export function transformerScope(name: string, options: unknown): string {
  return JSON.stringify([name, sortKeys(options)]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
