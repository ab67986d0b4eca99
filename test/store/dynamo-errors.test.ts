import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from './local-dynamo';
import { DynamoStore } from '../../src/store/dynamo-store';

/** A DynamoDB endpoint that answers every request with one error, counting the requests. */
async function failingEndpoint(
  type: string,
  message: string,
): Promise<{ endpoint: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('Class: DynamoStore, errors a person can act on', () => {
  const opened: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });

  async function storeAnswering(type: string, message: string, maxAttempts = 2) {
    const fake = await failingEndpoint(type, message);
    const client = new DynamoDBClient({
      endpoint: fake.endpoint,
      region: 'eu-west-1',
      credentials: LOCAL_CREDENTIALS,
      maxAttempts,
    });
    const store = new DynamoStore({ table: 'ecs-chatops', region: 'eu-west-1', client });
    opened.push({
      close: async () => {
        await store.close();
        client.destroy();
        await fake.close();
      },
    });
    return { store, fake };
  }

  it('names the table, the region and the template when the table is missing', async () => {
    const { store } = await storeAnswering('ResourceNotFoundException', 'Requested resource not found');
    const error = await failureOf(store.getDeploy('dep_1'));
    expect(error.code).toBe('store_error');
    expect(error.message).toBe(
      'store: DynamoDB table ecs-chatops not found in eu-west-1: create it with deploy/dynamodb-table.yml',
    );
  });

  it('names the refused IAM action when access is denied', async () => {
    const { store } = await storeAnswering(
      'AccessDeniedException',
      'User is not authorized to perform: dynamodb:PutItem',
    );
    const error = await failureOf(
      store.appendAudit({
        at: '2025-01-21T15:00:00.000Z',
        actor: { id: 'cli:carol', name: 'carol', via: 'cli' },
        action: 'stop',
        service: 'backend',
        details: {},
      }),
    );
    expect(error.code).toBe('store_error');
    expect(error.message).toMatch(
      /^store: appending to the audit log was refused: these credentials may not dynamodb:PutItem on DynamoDB table ecs-chatops in eu-west-1/,
    );
    expect(error.message).toContain('deploy/iam-policy.json');
  });

  it('lets the SDK retry throttling, then says so', async () => {
    const { store, fake } = await storeAnswering('ThrottlingException', 'Rate exceeded', 2);
    const error = await failureOf(store.getLock('backend'));
    expect(fake.requests()).toBe(2);
    expect(error.code).toBe('store_error');
    expect(error.message).toMatch(
      /^store: reading a lock was throttled by DynamoDB table ecs-chatops in eu-west-1 even after retries/,
    );
  });

  it('rejects ping with the reason, for /healthz', async () => {
    const { store } = await storeAnswering('ResourceNotFoundException', 'Requested resource not found');
    await expect(store.ping()).rejects.toMatchObject({
      code: 'store_error',
      message: expect.stringContaining('not found in eu-west-1'),
    });
  });
});
