import { describe, expect, it } from 'vitest';
import type { TransformerRef } from '../../model/job.ts';
import { PathRules } from './path-rules.ts';

const ref = (type: string): TransformerRef => ({ type, options: {} });

describe('what a job does to a value, as verify judges it', () => {
  const rules = new PathRules(
    {
      'info.actors[*]': ref('fullName'),
      info: ref('passthrough'),
      'contacts.*.phone': ref('phone'),
      'contacts.*': ref('null'),
      id: ref('permuteIdLike'),
    },
    { S: ref('characterScramble') },
    ['id', 'sk'],
  );
  const treat = (path: (string | number)[], type: 'S' | 'N' = 'S') => rules.treat(path, type);

  it('takes the most specific mapping, else the nearest mapped container', () => {
    expect(treat(['info', 'actors', 3])).toMatchObject({ kind: 'transformed', label: 'info.actors[*]', transformer: 'fullName' });
    expect(treat(['info', 'plot'])).toMatchObject({ kind: 'kept', label: 'info', transformer: 'passthrough' });
    expect(treat(['contacts', 'ada@example.com', 'phone'])).toMatchObject({ kind: 'transformed', label: 'contacts.*.phone' });
    expect(treat(['contacts', 'ada@example.com', 'since'])).toMatchObject({ kind: 'transformed', label: 'contacts.*', transformer: 'null' });
  });

  it('passes key attributes through unless a mapping names them, as a run does', () => {
    expect(treat(['sk'])).toEqual({ kind: 'kept', label: 'sk', transformer: 'key' });
    expect(treat(['id'])).toMatchObject({ kind: 'transformed', label: 'id', transformer: 'permuteIdLike' });
  });

  it('falls back on the default for the type, and calls a value nothing takes unnamed, its unnamed keys as *', () => {
    expect(treat(['notes', 'ada@example.com'])).toMatchObject({ kind: 'transformed', label: 'notes.* (defaults.S)', transformer: 'characterScramble' });
    expect(treat(['visits', 0], 'N')).toEqual({ kind: 'unnamed', label: 'visits[*]', transformer: '-' });
  });
});
