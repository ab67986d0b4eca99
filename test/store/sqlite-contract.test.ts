import { openStoreFromSpec } from '../../src/store/open-store';
import { describeStoreContract } from './contract';
import { makeTempDir } from './temp-db';

// Skipped until the SQLite adapter implements the asynchronous StorePort (store-port.ts).
describe.skip('SQLite adapter under the StorePort contract', () => {
  describeStoreContract('SqliteStore', async () => {
    const temp = makeTempDir();
    const store = await openStoreFromSpec(`sqlite:${temp.dbPath}`);
    return {
      store,
      close: async () => {
        await store.close();
        temp.remove();
      },
    };
  });
});
