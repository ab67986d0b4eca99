import { startLocalDynamo, type LocalDynamo } from './local-dynamo';
import { DynamoStore } from '../../src/store/dynamo-store';
import { describeStoreContract } from './contract';

let local: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  local = await startLocalDynamo();
});

afterAll(async () => {
  await local.close();
});

// A fresh table per test, on one local DynamoDB-compatible server, through the real SDK clients.
describeStoreContract('DynamoStore', async () => {
  const table = `contract-${++tables}`;
  await local.createTable(table);
  const client = local.client();
  const store = new DynamoStore({ table, client });
  return {
    store,
    close: async () => {
      await store.close();
      client.destroy();
    },
  };
});
