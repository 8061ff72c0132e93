/**
 * What a page of stream records asks of the destination, before any
 * transformation: for each record in order, the image whose transformed
 * form is put (an INSERT or MODIFY whose new image is in the subset) or
 * whose transformed key is deleted (a REMOVE, a TTL expiry, or a new image
 * outside the subset: the item may have left the subset, and a delete of a
 * key the destination lacks does nothing). The activity transforms the
 * images, and last-change-wins makes one request per destination key
 * (writeRequestsOf), as BatchWriteItem needs.
 *
 * A REMOVE is deleted by its old image when the stream has one (the key a
 * copy of that image got, even where a key mapping looks at other
 * attributes), else by its key attributes alone.
 */
import type { WriteRequest } from '@aws-sdk/client-dynamodb';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { ItemPredicate } from '../../../model/condition/index.ts';
import type { Item } from '../../../model/item.ts';
import { primaryKeyText } from '../../../model/item-key.ts';

export interface Change {
  kind: 'put' | 'delete';
  /** The source image to transform: a new image to put, or the image whose transformed key to delete. */
  image: Item;
}

export interface ChangeCounts {
  records: number;
  puts: number;
  removes: number;
  skipped: number;
}

export interface ChangePage {
  changes: Change[];
  counts: ChangeCounts;
  /** The page's last sequence number: where the shard stands once the page is written. */
  lastSequenceNumber?: string;
  /** Creation time of the page's last record (epoch ms), for the lag. */
  lastCreatedAtMs?: number;
}

export class StreamRecordError extends Error {
  override name = 'StreamRecordError';
}

/** Records created before `skipBeforeMs` (those the baseline copy saw) are passed over. */
export function changePage(records: readonly _Record[], inSubset: ItemPredicate | undefined, skipBeforeMs?: number): ChangePage {
  const changes: Change[] = [];
  const counts: ChangeCounts = { records: records.length, puts: 0, removes: 0, skipped: 0 };
  let lastSequenceNumber: string | undefined;
  let lastCreatedAtMs: number | undefined;
  for (const record of records) {
    const data = record.dynamodb;
    lastSequenceNumber = data?.SequenceNumber ?? lastSequenceNumber;
    const createdAtMs = data?.ApproximateCreationDateTime?.getTime();
    if (createdAtMs !== undefined) lastCreatedAtMs = createdAtMs;
    if (skipBeforeMs !== undefined && createdAtMs !== undefined && createdAtMs < skipBeforeMs) continue;
    // Sequence numbers, event names and attribute names only: a message never holds a value.
    const where = `record ${data?.SequenceNumber ?? '(no sequence number)'}`;
    if (record.eventName === 'REMOVE') {
      const image = (data?.OldImage ?? data?.Keys) as Item | undefined;
      if (!image) throw new StreamRecordError(`${where}: a REMOVE without keys`);
      changes.push({ kind: 'delete', image });
      counts.removes++;
      continue;
    }
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') throw new StreamRecordError(`${where}: unknown event ${record.eventName ?? '(none)'}`);
    const image = data?.NewImage as Item | undefined;
    if (!image) throw new StreamRecordError(`${where}: ${record.eventName === 'INSERT' ? 'an' : 'a'} ${record.eventName} without its new image (was the stream's view type changed?)`);
    if (inSubset === undefined || inSubset(image)) {
      changes.push({ kind: 'put', image });
      counts.puts++;
    } else {
      changes.push({ kind: 'delete', image });
      counts.skipped++;
    }
  }
  return { changes, counts, ...(lastSequenceNumber !== undefined && { lastSequenceNumber }), ...(lastCreatedAtMs !== undefined && { lastCreatedAtMs }) };
}

/**
 * One write request per destination key, the last change of each key
 * winning: `transformed[i]` is changes[i]'s image transformed.
 */
export function writeRequestsOf(changes: readonly Change[], transformed: readonly Item[], keyAttributes: readonly string[]): WriteRequest[] {
  const byKey = new Map<string, WriteRequest>();
  changes.forEach((change, i) => {
    const item = transformed[i]!;
    const text = primaryKeyText(item, keyAttributes);
    // Deleted and set again, so the request sits where its last change does (the order does not matter to BatchWriteItem; it reads better in tests).
    byKey.delete(text);
    byKey.set(text, change.kind === 'put' ? { PutRequest: { Item: item } } : { DeleteRequest: { Key: Object.fromEntries(keyAttributes.map((name) => [name, item[name]!])) } });
  });
  return [...byKey.values()];
}
