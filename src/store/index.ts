/**
 * The durable store. `openStore` is what the composition root calls.
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
