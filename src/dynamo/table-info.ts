import { DescribeTableCommand, type DynamoDBClient, type KeySchemaElement } from '@aws-sdk/client-dynamodb';

export interface TableKeys {
  /** Hash key first, then the range key when there is one. */
  readonly keyAttributes: string[];
  readonly keySchema: KeySchemaElement[];
}

export async function describeTableKeys(client: DynamoDBClient, table: string): Promise<TableKeys> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  const keySchema = Table?.KeySchema ?? [];
  const hash = keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return { keyAttributes: [hash, range].filter((name): name is string => name !== undefined), keySchema };
}
