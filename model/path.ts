/**
 * Attribute paths without DynamoDB type markers: `Pets.Judith.Age`,
 * `info.actors[0]`, `"attr.with.dots".x`.
 *
 * A concrete path (one value inside one item) is a list of segments: a string
 * is a map key, a number a list index. A pattern (what a job file maps) may
 * also hold wildcards: `*` for every key of a map, `[*]` for every element of
 * a list.
 */

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export type PatternSegment =
  | { kind: 'key'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'anyKey' }
  | { kind: 'anyIndex' };

export interface PathPattern {
  /** The text as the job file wrote it, for error messages. */
  readonly source: string;
  readonly segments: readonly PatternSegment[];
}

export class PathSyntaxError extends Error {
  override name = 'PathSyntaxError';
}

const PLAIN_NAME = /^[A-Za-z0-9_\-:#@$]+$/;

/**
 * A path for error messages and logs. Below the top level a map key can be
 * data (`Pets.Judith.Age`, `contacts.<email>.phone`), so a nested key shows
 * only when the job itself names it (`knownNames`: the literal keys of its
 * mapping patterns); any other shows as `*`.
 */
export function formatPathForMessage(path: Path, knownNames: ReadonlySet<string>): string {
  let out = '';
  for (const [i, segment] of path.entries()) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = i === 0 || knownNames.has(segment) ? (PLAIN_NAME.test(segment) ? segment : quote(segment)) : '*';
      out += out === '' ? name : `.${name}`;
    }
  }
  return out;
}

/** The literal keys of mapping patterns: names the job file holds, so not data. */
export function literalNames(patterns: readonly PathPattern[]): Set<string> {
  const names = new Set<string>();
  for (const pattern of patterns) for (const segment of pattern.segments) if (segment.kind === 'key') names.add(segment.name);
  return names;
}

/** Renders a concrete path so that `parsePathPattern` reads it back as the same path. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else {
      const name = PLAIN_NAME.test(segment) ? segment : quote(segment);
      out += out === '' ? name : `.${name}`;
    }
  }
  return out;
}

function quote(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Parses `a.b[0].*[*]."x.y"`. Throws PathSyntaxError with the column of the
 * first problem; the job loader turns that into a file:line message.
 */
export function parsePathPattern(source: string): PathPattern {
  const segments: PatternSegment[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new PathSyntaxError(`${message} at column ${i + 1} of path "${source}"`);
  };
  if (source.length === 0) fail('empty path');

  let expectName = true;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '[') {
      if (segments.length === 0) fail('a path must start with an attribute name');
      if (expectName) fail('expected an attribute name, got "["');
      const close = source.indexOf(']', i);
      if (close < 0) fail('missing "]"');
      const inner = source.slice(i + 1, close);
      if (inner === '*') segments.push({ kind: 'anyIndex' });
      else if (/^(0|[1-9][0-9]*)$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else fail(`list index must be a number or "*", got "${inner}"`);
      i = close + 1;
      expectName = false;
      continue;
    }
    if (!expectName) {
      if (ch !== '.') fail(`expected "." or "[", got "${ch}"`);
      i++;
      expectName = true;
      if (i >= source.length) fail('path ends with "."');
      continue;
    }
    if (ch === '"') {
      let name = '';
      i++;
      for (;;) {
        if (i >= source.length) fail('unterminated quoted name');
        const c = source[i]!;
        if (c === '\\' && i + 1 < source.length) {
          name += source[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          name += c;
          i++;
        }
      }
      segments.push({ kind: 'key', name });
    } else if (ch === '*') {
      segments.push({ kind: 'anyKey' });
      i++;
    } else {
      const start = i;
      while (i < source.length && !'.["'.includes(source[i]!)) i++;
      const name = source.slice(start, i);
      if (name === '') fail(`expected an attribute name, got "${ch}"`);
      if (name.includes('*')) {
        i = start + name.indexOf('*');
        fail('"*" must stand alone as a segment; quote names that contain it');
      }
      if (name.includes(']')) {
        i = start + name.indexOf(']');
        fail('unexpected "]"');
      }
      segments.push({ kind: 'key', name });
    }
    expectName = false;
  }
  return { source, segments };
}

/** True when the concrete path is the pattern or lies inside what it names. */
export function patternCovers(pattern: PathPattern, path: Path): boolean {
  return pattern.segments.length <= path.length && matchPrefix(pattern.segments, path);
}

/** True when the concrete path is exactly what the pattern names. */
export function patternMatches(pattern: PathPattern, path: Path): boolean {
  return pattern.segments.length === path.length && matchPrefix(pattern.segments, path);
}

/** True when something inside the concrete path could be named by the pattern (the pattern is longer and starts like it). */
export function patternReachesBelow(pattern: PathPattern, path: Path): boolean {
  return pattern.segments.length > path.length && matchPrefix(pattern.segments.slice(0, path.length), path);
}

function matchPrefix(segments: readonly PatternSegment[], path: Path): boolean {
  for (let i = 0; i < segments.length; i++) {
    const want = segments[i]!;
    const got = path[i];
    switch (want.kind) {
      case 'key':
        if (got !== want.name) return false;
        break;
      case 'anyKey':
        if (typeof got !== 'string') return false;
        break;
      case 'index':
        if (got !== want.index) return false;
        break;
      case 'anyIndex':
        if (typeof got !== 'number') return false;
        break;
    }
  }
  return true;
}

/** The attribute at the top of a pattern, when it names one (for key-attribute checks). */
export function topLevelName(pattern: PathPattern): string | undefined {
  const first = pattern.segments[0];
  return first?.kind === 'key' ? first.name : undefined;
}

/**
 * True when every concrete path the pattern `inner` names is covered by
 * `outer` (the job's mapping patterns against the patterns discovery folds
 * paths into): `*` covers any key and `*`, `[*]` any index and `[*]`, a key
 * or an index only itself. `a.x` does not cover `a.*`, which stands for
 * keys other than `x` as well.
 */
export function patternCoversPattern(outer: PathPattern, inner: PathPattern): boolean {
  if (outer.segments.length > inner.segments.length) return false;
  return outer.segments.every((want, i) => {
    const got = inner.segments[i]!;
    switch (want.kind) {
      case 'key':
        return got.kind === 'key' && got.name === want.name;
      case 'anyKey':
        return got.kind === 'key' || got.kind === 'anyKey';
      case 'index':
        return got.kind === 'index' && got.index === want.index;
      case 'anyIndex':
        return got.kind === 'index' || got.kind === 'anyIndex';
    }
  });
}
