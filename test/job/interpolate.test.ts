import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { interpolateDocument, interpolateString } from '../../src/job/interpolate.ts';

describe('interpolateString', () => {
  const env = { HOST: 'localhost', PORT: '8000', EMPTY: '' };

  it('substitutes ${NAME}, any number of times', () => {
    expect(interpolateString('http://${HOST}:${PORT}/${HOST}', env)).toEqual({ value: 'http://localhost:8000/localhost', problems: [] });
  });

  it('takes ${NAME:-default} when NAME is unset or empty', () => {
    expect(interpolateString('${MISSING:-http://x:1}', env).value).toBe('http://x:1');
    expect(interpolateString('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolateString('${HOST:-fallback}', env).value).toBe('localhost');
    expect(interpolateString('${MISSING:-}', env).value).toBe('');
    expect(interpolateString('${MISSING:-a:-b}', env).value).toBe('a:-b');
  });

  it('keeps a set but empty variable without a default', () => {
    expect(interpolateString('[${EMPTY}]', env)).toEqual({ value: '[]', problems: [] });
  });

  it('reads $${ as a literal ${ and leaves other dollars alone', () => {
    expect(interpolateString('$${HOST} costs $5, $$ and $HOST', env)).toEqual({ value: '${HOST} costs $5, $$ and $HOST', problems: [] });
  });

  it('reports each unset variable and each malformed reference', () => {
    expect(interpolateString('${A}-${B:-b}-${C}', {}).problems).toEqual(['environment variable A is not set', 'environment variable C is not set']);
    expect(interpolateString('${1X}', {}).problems).toEqual([
      '"${1X}" is not a variable reference: expected ${NAME} or ${NAME:-default} (write "$${" for a literal "${")',
    ]);
    expect(interpolateString('abc ${HOST', env).problems).toEqual(['"${" without a closing "}" (write "$${" for a literal "${")']);
  });
});

describe('interpolateDocument', () => {
  it('substitutes string values in place, never keys, and names the path of each problem', () => {
    const doc = parseDocument('${KEY}: ${VALUE}\nlist:\n  - ${VALUE}\n  - ${UNSET}\n  - 3\nnested: { a: "${VALUE}" }\n');
    const issues = interpolateDocument(doc, { KEY: 'k', VALUE: 'v' });
    expect(doc.toJS()).toEqual({ '${KEY}': 'v', list: ['v', '${UNSET}', 3], nested: { a: 'v' } });
    expect(issues).toEqual([{ path: ['list', 1], message: 'environment variable UNSET is not set' }]);
  });

  it('substitutes an anchored value once, for every alias of it', () => {
    const doc = parseDocument('a: &x ${VALUE}\nb: *x\n');
    expect(interpolateDocument(doc, { VALUE: 'v' })).toEqual([]);
    expect(doc.toJS()).toEqual({ a: 'v', b: 'v' });
  });
});
