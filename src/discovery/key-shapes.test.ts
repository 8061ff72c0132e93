import { describe, expect, it } from 'vitest';
import { KeyShapes, MAX_SHAPES, readKeyValue } from './key-shapes.ts';

const S = (value: string) => ({ S: value });

describe('readKeyValue', () => {
  it.each([
    ['PROFILE', { kind: 'literal', text: 'PROFILE' }],
    ['ORDER#2026-01-05#K7Q2', { kind: 'prefixed', prefix: 'ORDER#', separator: '#', tokens: ['2026-01-05', 'K7Q2'] }],
    ['EMAIL#ada.l-b@example.com', { kind: 'prefixed', prefix: 'EMAIL#', separator: '#', tokens: ['ada.l-b@example.com'] }],
    ['USER|42', { kind: 'prefixed', prefix: 'USER|', separator: '|', tokens: ['42'] }],
    ['ada@example.com', { kind: 'misfit', reason: 'no label' }],
    ['ORDER##K7Q2', { kind: 'misfit', reason: 'empty part' }],
    ['A#1#2#3#4#5#6#7#8#9', { kind: 'misfit', reason: 'too many parts' }],
  ])('reads %s', (value, expected) => {
    expect(readKeyValue(value)).toEqual(expected);
  });
});

describe('KeyShapes', () => {
  it('counts shapes, formats and links of key tokens to the other attributes of their item', () => {
    const shapes = new KeyShapes({ linked: ['GSI1PK'] });
    for (let i = 0; i < 5; i++) shapes.add({ GSI1PK: S(`EMAIL#u${i}@example.com`), email: S(`u${i}@example.com`), name: S('Ada'), n: { N: String(i) } });
    shapes.add({ GSI1PK: S('ACCOUNT#12345678') });
    const [gsi, email] = shapes.finish().filter((shape) => shape.name === 'GSI1PK' || shape.name === 'email');
    expect(gsi!.strings).toBe(6);
    const byEmail = gsi!.shapes.get('EMAIL#\u00001')!;
    expect(byEmail.count).toBe(5);
    expect(byEmail.columns[0]!.links.get('email')).toEqual({ both: 5, equal: 5 });
    expect(byEmail.columns[0]!.links.get('name')).toEqual({ both: 5, equal: 0 });
    expect(gsi!.shapes.get('ACCOUNT#\u00001')!.columns[0]).toMatchObject({ count: 1, formatted: 1, withDigit: 1 });
    // Only the linked attributes compare their tokens; others are counted alone.
    expect([...email!.shapes.values()]).toEqual([]);
    expect(email!.misfits).toEqual({ 'no label': 5 });
  });

  it('stops tracking shapes of an attribute past MAX_SHAPES, and says so', () => {
    const shapes = new KeyShapes();
    for (let i = 0; i <= MAX_SHAPES; i++) shapes.add({ pk: S(`T${i}#x1`) });
    const [pk] = shapes.finish();
    expect(pk!.shapes.size).toBe(MAX_SHAPES);
    expect(pk!.overflow).toBe(true);
  });
});
