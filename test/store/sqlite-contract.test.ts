import { openStoreFromSpec } from '../../src/store/open-store';
import { describeStoreContract } from './contract';
import { makeTempDir } from './temp-db';

describe('SQLite adapter under the StorePort contract', () => {
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
