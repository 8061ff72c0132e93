import { describe, expect, it } from 'vitest';
import { transformerScope } from './seed-scope.ts';

describe('transformerScope', () => {
  it('does not depend on option key order', () => {
    expect(transformerScope('email', { a: 1, b: { d: 2, c: 3 } })).toBe(transformerScope('email', { b: { c: 3, d: 2 }, a: 1 }));
    expect(transformerScope('email', { a: 1 })).not.toBe(transformerScope('email', { a: 2 }));
  });

  it('is the JSON of the name and the options, as the seeds of every run so far were keyed', () => {
    // Changing this text changes every fake of every job: outputs are pinned to it.
    expect(transformerScope('email', { preserveDomain: false, excludedDomains: [] })).toBe('["email",{"excludedDomains":[],"preserveDomain":false}]');
  });
});
