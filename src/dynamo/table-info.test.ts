import { describe, expect, it } from 'vitest';
import { defaultSegments, keyAttributesOf } from './table-info.ts';

const MB = 1024 ** 2;
const GB = 1024 ** 3;

describe('defaultSegments', () => {
  it.each([
    [0, 1],
    [Number.NaN, 1],
    [MB - 1, 1],
    [MB, 4],
    // moviedata on DynamoDB Local
    [2_095_746, 4],
    [2 * GB - 1, 4],
    [2 * GB, 5],
    [10 * GB, 9],
    [1000 * GB, 16],
  ])('%d bytes -> %d', (sizeBytes, segments) => {
    expect(defaultSegments(sizeBytes)).toBe(segments);
  });
});

describe('keyAttributesOf', () => {
  const S = 'S' as const;
  const description = {
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: S },
      { AttributeName: 'sk', AttributeType: S },
      { AttributeName: 'GSI1PK', AttributeType: S },
      { AttributeName: 'created', AttributeType: 'N' as const },
      { AttributeName: 'blob', AttributeType: 'B' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'GSI1',
        KeySchema: [
          { AttributeName: 'GSI1PK', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const },
        ],
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byCreated',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' as const },
          { AttributeName: 'created', KeyType: 'RANGE' as const },
        ],
      },
      {
        IndexName: 'byBlob',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' as const },
          { AttributeName: 'blob', KeyType: 'RANGE' as const },
        ],
      },
    ],
  };

  it("lists the table's keys first, then each index key once with every role it plays; an LSI adds its sort key, not the partition key it shares with the table", () => {
    expect(keyAttributesOf(description)).toEqual([
      { name: 'pk', type: 'S', primary: true, roles: ["the table's hash key"] },
      { name: 'sk', type: 'S', primary: true, roles: ["the table's range key", 'the range key of index GSI1'] },
      { name: 'GSI1PK', type: 'S', primary: false, roles: ['the hash key of index GSI1'] },
      { name: 'created', type: 'N', primary: false, roles: ['the range key of index byCreated'] },
      { name: 'blob', type: 'B', primary: false, roles: ['the range key of index byBlob'] },
    ]);
  });

  it('gives a table without indexes its own keys alone, and passes over a key whose type the description lacks', () => {
    const { GlobalSecondaryIndexes: _g, LocalSecondaryIndexes: _l, ...plain } = description;
    expect(keyAttributesOf(plain)).toEqual([
      { name: 'pk', type: 'S', primary: true, roles: ["the table's hash key"] },
      { name: 'sk', type: 'S', primary: true, roles: ["the table's range key"] },
    ]);
    expect(keyAttributesOf({ ...plain, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: S }] }).map((key) => key.name)).toEqual(['pk']);
  });
});
