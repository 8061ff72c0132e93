/**
 * The destination guard's refusals, which happen before a request is
 * signed or sent: these clients point at AWS regions and never reach them.
 * test/e2e/destination-guard.test.ts sends the requests it lets through to
 * DynamoDB Local.
 */
import { describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  ExecuteStatementCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoClients } from './clients.ts';

const key = { pk: { S: 'k' } };
const credentials = { accessKeyId: 'AKIAGUARDTEST', secretAccessKey: 'never-used' };

describe('the destination guard', () => {
  it('refuses every kind of write that names a guarded table, by name or by ARN', async () => {
    const clients = new DynamoClients({ destinationGuard: { defaultRegion: async () => 'eu-west-1' } });
    // Another connection name and other credentials, the same region: the same tables.
    const client = clients.destination('staging', { region: 'us-east-1', profile: 'nobody' }, [{ table: 'Users', connection: { region: 'us-east-1' } }]);
    client.config.credentials = async () => credentials;
    const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users';
    const writes = [
      new PutItemCommand({ TableName: 'Users', Item: key }),
      new PutItemCommand({ TableName: arn, Item: key }),
      new DeleteItemCommand({ TableName: 'Users', Key: key }),
      new UpdateItemCommand({ TableName: 'Users', Key: key, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }),
      new BatchWriteItemCommand({ RequestItems: { Other: [{ PutRequest: { Item: key } }], Users: [{ DeleteRequest: { Key: key } }] } }),
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Other', Item: key } }, { Delete: { TableName: 'Users', Key: key } }] }),
      new ExecuteStatementCommand({ Statement: `INSERT INTO "Users" VALUE {'pk': 'k'}` }),
      new ExecuteStatementCommand({ Statement: `DELETE FROM Users WHERE pk = 'k'` }),
      new CreateTableCommand({ TableName: 'Users', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
      new DeleteTableCommand({ TableName: arn }),
    ];
    try {
      for (const command of writes) {
        await expect(client.send(command as never), command.constructor.name).rejects.toThrow(
          /refused: table "Users" is a source of this job on the same database \(the AWS endpoint of us-east-1\); dynamask never writes to a source/,
        );
      }
    } finally {
      clients.destroy();
    }
  });

  it('takes a connection without a region for the default region the worker resolves', async () => {
    const clients = new DynamoClients({ destinationGuard: { defaultRegion: async () => 'us-east-1' } });
    try {
      const client = clients.destination('staging', {}, [{ table: 'Users', connection: { region: 'us-east-1' } }]);
      client.config.credentials = async () => credentials;
      await expect(client.send(new PutItemCommand({ TableName: 'Users', Item: key }))).rejects.toThrow(/the AWS endpoint of us-east-1/);
      const elsewhere = clients.destination('staging', {}, [{ table: 'Users', connection: { region: 'eu-west-1' } }]);
      expect(elsewhere).not.toBe(client);
    } finally {
      clients.destroy();
    }
  });

  it('gives jobs that share a connection name clients of their own', () => {
    const clients = new DynamoClients();
    try {
      const a = clients.destination('staging', { region: 'us-east-1' }, [{ table: 'Users', connection: { region: 'us-east-1' } }]);
      const b = clients.destination('staging', { region: 'us-east-1' }, [{ table: 'Orders', connection: { region: 'us-east-1' } }]);
      expect(a).not.toBe(b);
      expect(clients.destination('staging', { region: 'us-east-1' }, [{ table: 'Users', connection: { region: 'us-east-1' } }])).toBe(a);
    } finally {
      clients.destroy();
    }
  });
});
