/**
 * A DynamoDB-compatible server in this process (dynalite, in memory, on a free port) and
 * tables on it, for tests. Never used against AWS.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../src/store/dynamo-keys';

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A client of this server (fixed local credentials); the caller destroys it. */
  client(): DynamoDBClient;
  /** Creates a table with the store's layout (tableDefinition). */
  createTable(table: string): Promise<void>;
  close(): Promise<void>;
}

/** Credentials the local server accepts; nothing real. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
}

/** Starts dynalite (a dev dependency) on 127.0.0.1 and a free port. */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types; this line gives it one
  const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number }) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = localClient(endpoint);
  return {
    endpoint,
    client: () => localClient(endpoint),
    createTable: async (table) => {
      await admin.send(new CreateTableCommand(tableDefinition(table)));
    },
    close: async () => {
      admin.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
