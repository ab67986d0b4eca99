/**
 * The durable store's SQLite side and the rules both stores share. The composition root opens
 * its store through open-store.ts (storeSpecFor, openStoreFromSpec); `openStore` opens a SQLite
 * file directly, for tests and benchmarks.
 */
import type { StorePort } from '../engine/ports';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store';

export { SqliteStore, type SqliteStoreOptions } from './sqlite-store';
export { SCHEMA_VERSION } from './migrations';
export { judgeApproval, isExpired } from './approval-rules';

/**
 * Opens the SQLite store at `path` (`:memory:` for a private in-memory one), creating the
 * parent folder and the schema as needed.
 * @throws CodedError `store_error` when the file cannot be opened or its schema is newer than this code.
 */
export function openStore(path: string, options?: SqliteStoreOptions): StorePort {
  return new SqliteStore(path, options);
}
