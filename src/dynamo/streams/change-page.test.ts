import { describe, expect, it } from 'vitest';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { compileWhere } from '../../../model/condition/index.ts';
import type { Item } from '../../../model/item.ts';
import { changePage, StreamRecordError, writeRequestsOf } from './change-page.ts';

const item = (id: string, status: string): Item => ({ id: { S: id }, status: { S: status } });
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const record = (eventName: _Record['eventName'], seq: string, minute: number, image: Item): _Record =>
  ({
    eventName,
    dynamodb: {
      SequenceNumber: seq,
      ApproximateCreationDateTime: at(minute),
      Keys: { id: image.id! },
      ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
    },
  }) as _Record;
const compiled = compileWhere("status = 'active'");
const active = compiled.ok ? compiled.matches : () => true;

describe('change pages', () => {
  it('puts new images in the subset, deletes the rest and REMOVEs, and counts each', () => {
    const page = changePage(
      [record('INSERT', '1', 1, item('a', 'active')), record('MODIFY', '2', 2, item('b', 'old')), record('REMOVE', '3', 3, item('c', 'active'))],
      active,
    );
    expect(page.changes.map((c) => [c.kind, c.image.id!.S])).toEqual([
      ['put', 'a'],
      ['delete', 'b'],
      ['delete', 'c'],
    ]);
    expect(page.counts).toEqual({ records: 3, puts: 1, removes: 1, skipped: 1 });
    expect([page.lastSequenceNumber, page.lastCreatedAtMs]).toEqual(['3', at(3).getTime()]);
  });

  it('passes over records older than the baseline, yet moves the position past them', () => {
    const page = changePage([record('INSERT', '1', 1, item('a', 'active')), record('INSERT', '2', 5, item('b', 'active'))], undefined, at(3).getTime());
    expect(page.changes.map((c) => c.image.id!.S)).toEqual(['b']);
    expect(page.counts.records).toBe(2);
    expect(page.lastSequenceNumber).toBe('2');
  });

  it('refuses a MODIFY without its new image, naming the record, never a value', () => {
    const bad = { eventName: 'MODIFY', dynamodb: { SequenceNumber: '7', Keys: { id: { S: 'secret-id' } } } } as _Record;
    expect(() => changePage([bad], undefined)).toThrow(StreamRecordError);
    expect(() => changePage([bad], undefined)).toThrow('record 7: a MODIFY without its new image (was the stream\'s view type changed?)');
  });

  it('makes one request per destination key, the last change winning', () => {
    const changes = [
      { kind: 'put' as const, image: item('a', 'active') },
      { kind: 'delete' as const, image: item('a', 'old') },
      { kind: 'put' as const, image: item('b', 'active') },
      { kind: 'put' as const, image: item('a', 'active2') },
    ];
    expect(writeRequestsOf(changes, changes.map((c) => c.image), ['id'])).toEqual([
      { PutRequest: { Item: item('b', 'active') } },
      { PutRequest: { Item: item('a', 'active2') } },
    ]);
    expect(writeRequestsOf(changes.slice(0, 2), changes.slice(0, 2).map((c) => c.image), ['id'])).toEqual([{ DeleteRequest: { Key: { id: { S: 'a' } } } }]);
  });
});
