import { describe, expect, it } from 'vitest';
import { addMappings, insertedLines, JobFileEditError, type TableAddition } from './job-file-edit.ts';
import type { MappingEntry } from './table-mappings.ts';

const entry = (path: string, type: string, comment: string, options: Record<string, unknown> = {}): MappingEntry => ({ path, transformer: { type, options }, comment, kind: type === 'passthrough' ? 'passthrough' : 'flagged' });

const ADDITION: TableAddition = {
  table: 0,
  header: ['added by dynamask init --update: 2 path(s)'],
  groups: [{ header: [], entries: [entry('backup', 'email', 'email: 100% of 6 sampled values'), entry('prefs.theme', 'passthrough', 'S, in 50% of items')] }],
};

const ADDED = ['# added by dynamask init --update: 2 path(s)', 'backup: email # email: 100% of 6 sampled values', 'prefs.theme: passthrough # S, in 50% of items'];

function expectAdded(before: string, after: string, indent: string): void {
  const inserted = insertedLines(before, after);
  expect(inserted, after).toBeDefined();
  expect(inserted!.filter((line) => line.trim() !== '')).toEqual(ADDED.map((line) => indent + line));
}

describe('adding mappings to a job file', () => {
  it('goes through the Document API when the file is in its style', () => {
    const before = ['name: x', 'tables:', '  - source: A', '    transformers:', '      email: email # flagged', ''].join('\n');
    const result = addMappings(before, [ADDITION]);
    expect(result.method).toBe('document');
    expectAdded(before, result.text, '      ');
  });

  it('inserts text where printing would change other lines, leaving every one of them as it was', () => {
    const before = [
      '# a hand-written job',
      'name:   x     # odd spacing the printer would undo',
      'tables:',
      '    -   source: A',
      '        transformers:',
      '            email:    email   #flagged',
      '            Name:',
      '                type: fullName',
      '            # still to do: the rest',
      '    -   source: B',
      '        transformers: { x: passthrough }',
      '',
    ].join('\n');
    const result = addMappings(before, [ADDITION]);
    expect(result.method).toBe('text');
    expectAdded(before, result.text, '            ');
    // After the last mapping, before the comment that follows it.
    const lines = result.text.split('\n');
    expect(lines.indexOf('            backup: email # email: 100% of 6 sampled values')).toBeLessThan(lines.indexOf('            # still to do: the rest'));
    expect(lines.indexOf('            backup: email # email: 100% of 6 sampled values')).toBeGreaterThan(lines.indexOf('                type: fullName'));
  });

  it('adds transformers to a table that has none', () => {
    const before = ['name: x  # keep', 'tables:', '  - source: A   # first', '    destination: B', '  - source: C', ''].join('\n');
    const result = addMappings(before, [ADDITION]);
    expect(insertedLines(before, result.text)!.filter((line) => line.trim() !== '')).toEqual(['    transformers:', ...ADDED.map((line) => `      ${line}`)]);
    expect(result.text.indexOf('transformers:')).toBeLessThan(result.text.indexOf('- source: C'));
  });

  it('keeps CRLF line ends', () => {
    const before = ['name: x', 'tables:', '  - source: A', '    transformers:', '      email:  email', ''].join('\r\n');
    const result = addMappings(before, [ADDITION]);
    expect(result.text.split('\r\n').slice(0, 5)).toEqual(before.split('\r\n').slice(0, 5));
    expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('refuses a flow-style transformers it cannot add lines to, saying what to add', () => {
    const before = ['name:  x', 'tables:', '  - source: A', '    transformers: { email: email }', ''].join('\n');
    expect(() => addMappings(before, [ADDITION])).toThrow(JobFileEditError);
    expect(() => addMappings(before, [ADDITION])).toThrow(/flow style.*\n.*backup: email/s);
  });

  it('writes options as a flow map and quotes paths YAML would misread', () => {
    const before = ['name: x', 'tables:', '  - source: A', '    transformers:', '      a:   passthrough', ''].join('\n');
    const result = addMappings(before, [{ table: 0, header: [], groups: [{ header: [], entries: [entry('*.x', 'email', 'c', { preserveDomain: true }), entry('"a.b"', 'passthrough', 'd')] }] }]);
    expect(insertedLines(before, result.text)!.filter((line) => line.trim() !== '')).toEqual(['      "*.x": { type: email, preserveDomain: true } # c', `      '"a.b"': passthrough # d`]);
  });
});
