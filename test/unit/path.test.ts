import { describe, expect, it } from 'vitest';
import {
  formatPath,
  parsePathPattern,
  PathSyntaxError,
  patternCovers,
  patternCoversPattern,
  patternMatches,
  topLevelName,
  type Path,
  type PatternSegment,
} from '../../model/path.ts';
import { mulberry32 } from '../support/prng.ts';

/** The pattern segments a concrete path should parse back to. */
function segmentsOf(path: Path): PatternSegment[] {
  return path.map((s) => (typeof s === 'number' ? { kind: 'index', index: s } : { kind: 'key', name: s }));
}


const AWKWARD_NAMES = [
  'a.b',
  'a..b',
  '.',
  'a[0]',
  '[*]',
  '[',
  ']',
  '*',
  'a*b',
  '"',
  '""',
  'say "hi"',
  '\\',
  'back\\slash',
  'ends\\',
  '\\"',
  'tab\there',
  'line\nbreak',
  ' ',
  ' leading',
  '',
  'é',
  '名前',
  '🎬',
  'Ünïcødé.🎬["x"]',
  '0',
  '007',
  '-1',
  'with-dash',
  'ns:key#1@$',
  '__proto__',
];

describe('formatPath', () => {
  it('writes plain names bare, indexes in brackets and awkward names quoted', () => {
    expect(formatPath(['info', 'actors', 0])).toBe('info.actors[0]');
    expect(formatPath(['Pets', 'Judith', 'Age'])).toBe('Pets.Judith.Age');
    expect(formatPath(['l', 0, 1, 'x'])).toBe('l[0][1].x');
    expect(formatPath(['a.b', 'x'])).toBe('"a.b".x');
    expect(formatPath(['say "hi"'])).toBe('"say \\"hi\\""');
    expect(formatPath(['back\\slash'])).toBe('"back\\\\slash"');
    expect(formatPath(['*'])).toBe('"*"');
    expect(formatPath(['m', '0'])).toBe('m.0');
    expect(formatPath(['名前'])).toBe('"名前"');
    expect(formatPath(['m', ''])).toBe('m.""');
  });
});

describe('parsePathPattern', () => {
  it('parses keys, indexes, wildcards and quoted names', () => {
    expect(parsePathPattern('a.b[0].*[*]."x.y"').segments).toStrictEqual([
      { kind: 'key', name: 'a' },
      { kind: 'key', name: 'b' },
      { kind: 'index', index: 0 },
      { kind: 'anyKey' },
      { kind: 'anyIndex' },
      { kind: 'key', name: 'x.y' },
    ]);
    expect(parsePathPattern('"say \\"hi\\""[12]').segments).toStrictEqual([
      { kind: 'key', name: 'say "hi"' },
      { kind: 'index', index: 12 },
    ]);
    expect(parsePathPattern('"*"').segments).toStrictEqual([{ kind: 'key', name: '*' }]);
    expect(parsePathPattern('*').segments).toStrictEqual([{ kind: 'anyKey' }]);
    expect(parsePathPattern('m.0').segments).toStrictEqual([
      { kind: 'key', name: 'm' },
      { kind: 'key', name: '0' },
    ]);
    expect(parsePathPattern('l[0][10]').segments).toStrictEqual([
      { kind: 'key', name: 'l' },
      { kind: 'index', index: 0 },
      { kind: 'index', index: 10 },
    ]);
  });

  it('keeps the source text', () => {
    expect(parsePathPattern('info.actors[*]').source).toBe('info.actors[*]');
  });

  it.each(AWKWARD_NAMES)('formatPath then parsePathPattern gives back the path for name %j', (name) => {
    const path: Path = [name, 'x', 0, name, 3, name];
    const text = formatPath(path);
    const pattern = parsePathPattern(text);
    expect(pattern.segments).toStrictEqual(segmentsOf(path));
    expect(patternMatches(pattern, path)).toBe(true);
    // It names this path only, not its neighbours.
    expect(patternMatches(pattern, [name, 'x', 0, name, 4, name])).toBe(false);
    expect(patternMatches(pattern, [name, 'x', 0, name, 3, `${name}_`])).toBe(false);
    expect(patternMatches(pattern, [name, 'x', '0', name, 3, name])).toBe(false);
  });

  it('round-trips random paths built from awkward characters (seeded)', () => {
    const rnd = mulberry32(20130913);
    const alphabet = ['a', 'Z', '0', '9', '_', '-', '.', '[', ']', '*', '"', '\\', ' ', 'é', '名', '🎬', '\n', ':', '#'];
    for (let i = 0; i < 500; i++) {
      const path: (string | number)[] = [];
      const length = 1 + Math.floor(rnd() * 5);
      for (let j = 0; j < length; j++) {
        if (j > 0 && rnd() < 0.3) {
          path.push(Math.floor(rnd() * 20));
        } else {
          const n = (j === 0 ? 1 : 0) + Math.floor(rnd() * 6);
          path.push(Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
        }
      }
      const text = formatPath(path);
      let segments;
      try {
        segments = parsePathPattern(text).segments;
      } catch (err) {
        throw new Error(`path #${i} ${JSON.stringify(path)} formatted as ${text}: ${(err as Error).message}`);
      }
      expect(segments, `path #${i} formatted as ${text}`).toStrictEqual(segmentsOf(path));
    }
  });

  // Columns are 1-based. A problem at a character points at it; a missing
  // piece at the end of the text points just past the end.
  it.each([
    ['', 1, /empty path/],
    ['a..b', 3, /attribute name/],
    ['.a', 1, /attribute name/],
    ['a.', 3, /ends with "\."/],
    ['a[', 2, /missing "\]"/],
    ['a[x]', 2, /list index/],
    ['a[]', 2, /list index/],
    ['a[-1]', 2, /list index/],
    ['a[01]', 2, /list index/],
    ['[0]', 1, /start with an attribute name/],
    ['"unterminated', 14, /unterminated/],
    ['a."b', 5, /unterminated/],
    ['a*b', 2, /"\*" must stand alone/],
    ['ab*', 3, /"\*" must stand alone/],
    ['a.b*', 4, /"\*" must stand alone/],
    ['a]', 2, /unexpected "\]"/],
    ['x.a]b', 4, /unexpected "\]"/],
    ['"a"b', 4, /expected "\." or "\["/],
    ['a"b"', 2, /expected "\." or "\["/],
    ['*b', 2, /expected "\." or "\["/],
    ['a[0]b', 5, /expected "\." or "\["/],
    ['a.[0]', 3, /attribute name/],
  ])('rejects %j at column %i', (source, column, message) => {
    let error: unknown;
    try {
      parsePathPattern(source);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PathSyntaxError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).toContain(`at column ${column} `);
    expect(text).toContain(`of path "${source}"`);
    expect((error as Error).name).toBe('PathSyntaxError');
  });
});

describe('patternCovers vs patternMatches', () => {
  const p = parsePathPattern;

  it('a plain path covers everything under it but matches only itself', () => {
    const info = p('info');
    expect(patternMatches(info, ['info'])).toBe(true);
    expect(patternCovers(info, ['info'])).toBe(true);
    expect(patternCovers(info, ['info', 'actors', 0])).toBe(true);
    expect(patternMatches(info, ['info', 'actors', 0])).toBe(false);
    expect(patternCovers(info, ['information'])).toBe(false);
    expect(patternCovers(info, ['title'])).toBe(false);
  });

  it('a pattern never covers a path shorter than itself', () => {
    const deep = p('info.actors[0]');
    expect(patternCovers(deep, ['info', 'actors'])).toBe(false);
    expect(patternCovers(deep, ['info'])).toBe(false);
    expect(patternMatches(deep, ['info', 'actors'])).toBe(false);
  });

  it('* matches any map key but not a list index', () => {
    const anyKey = p('info.*');
    expect(patternMatches(anyKey, ['info', 'rating'])).toBe(true);
    expect(patternMatches(anyKey, ['info', '0'])).toBe(true);
    expect(patternMatches(anyKey, ['info', 'actors', 0])).toBe(false);
    expect(patternCovers(anyKey, ['info', 'actors', 0])).toBe(true);
    expect(patternCovers(anyKey, ['info', 0])).toBe(false);
    expect(patternMatches(anyKey, ['info', 0])).toBe(false);
    expect(patternCovers(anyKey, ['info'])).toBe(false);
  });

  it('[*] matches any list index but not a map key, even one that looks like a number', () => {
    const anyIndex = p('info.actors[*]');
    expect(patternMatches(anyIndex, ['info', 'actors', 0])).toBe(true);
    expect(patternMatches(anyIndex, ['info', 'actors', 37])).toBe(true);
    expect(patternMatches(anyIndex, ['info', 'actors', '0'])).toBe(false);
    expect(patternCovers(anyIndex, ['info', 'actors', '0', 'x'])).toBe(false);
    expect(patternCovers(anyIndex, ['info', 'actors', 2, 'name'])).toBe(true);
    expect(patternMatches(anyIndex, ['info', 'actors', 2, 'name'])).toBe(false);
  });

  it('[n] and a number-like key are different things', () => {
    expect(patternMatches(p('l[0]'), ['l', 0])).toBe(true);
    expect(patternMatches(p('l[0]'), ['l', '0'])).toBe(false);
    expect(patternMatches(p('l[0]'), ['l', 1])).toBe(false);
    expect(patternMatches(p('m.0'), ['m', '0'])).toBe(true);
    expect(patternMatches(p('m.0'), ['m', 0])).toBe(false);
  });

  it('a quoted "*" is a literal key, not a wildcard', () => {
    const literal = p('"*".x');
    expect(patternMatches(literal, ['*', 'x'])).toBe(true);
    expect(patternMatches(literal, ['a', 'x'])).toBe(false);
    expect(patternMatches(p('*.x'), ['a', 'x'])).toBe(true);
  });

  it('wildcards combine', () => {
    const both = p('*[*].*');
    expect(patternMatches(both, ['a', 0, 'b'])).toBe(true);
    expect(patternMatches(both, ['a', 'b', 'c'])).toBe(false);
    expect(patternMatches(both, ['a', 0, 1])).toBe(false);
    expect(patternCovers(both, ['a', 0, 'b', 5, 'c'])).toBe(true);
    expect(patternMatches(both, ['a', 0, 'b', 5, 'c'])).toBe(false);
    expect(patternCovers(both, ['a', 0])).toBe(false);
  });
});

describe('topLevelName', () => {
  it('names the top attribute only when it is not a wildcard', () => {
    expect(topLevelName(parsePathPattern('info.rating'))).toBe('info');
    expect(topLevelName(parsePathPattern('"a.b"[0]'))).toBe('a.b');
    expect(topLevelName(parsePathPattern('*.x'))).toBeUndefined();
  });
});

describe('patternCoversPattern', () => {
  const covers = (outer: string, inner: string) => patternCoversPattern(parsePathPattern(outer), parsePathPattern(inner));

  it('covers what is under it, wildcards included, and nothing shorter', () => {
    expect(covers('info', 'info.actors[*]')).toBe(true);
    expect(covers('info.actors[*]', 'info.actors[*]')).toBe(true);
    expect(covers('info.actors[*]', 'info')).toBe(false);
    expect(covers('contacts.*.phone', 'contacts.*.phone')).toBe(true);
  });

  it('takes * for any key or *, and [*] for any index or [*], but a literal only for itself', () => {
    expect(covers('*.x', 'a.x')).toBe(true);
    expect(covers('a.*', 'a.*')).toBe(true);
    expect(covers('a.x', 'a.*')).toBe(false);
    expect(covers('list[*]', 'list[3]')).toBe(true);
    expect(covers('list[0]', 'list[*]')).toBe(false);
    expect(covers('a.*', 'a[*]')).toBe(false);
    expect(covers('a[*]', 'a.*')).toBe(false);
    expect(covers('"*"', 'x')).toBe(false);
  });
});
