/**
 * One SQLite file opened for the store: WAL mode, migrations applied, statements cached, and a
 * busy database retried off the event loop (better-sqlite3 itself waits synchronously).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CodedError, ErrorCodes, describeError } from '../errors';
import { applyMigrations } from './migrations';

export interface SqliteStoreOptions {
  /**
   * How long one statement blocks the process waiting for another process's write lock
   * (default 50 ms). Kept short: better-sqlite3 waits synchronously, and a long wait would hold
   * up Slack acks and `/healthz`. Longer waits happen between tries, off the event loop.
   */
  busyTimeoutMs?: number;
  /** How long a busy or locked database is retried, asynchronously, before a store error (default 10 s). */
  busyRetryMs?: number;
}

/** SQLite's answers for "another connection holds the lock": worth another try. */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']);

function isBusy(e: unknown): boolean {
  return typeof e === 'object' && e !== null && BUSY_CODES.has(String((e as { code?: unknown }).code));
}

/** Turns anything thrown by SQLite into `store_error`, keeping the original as cause. */
export function storeError(what: string, e: unknown): CodedError {
  if (e instanceof CodedError) return e;
  return new CodedError(ErrorCodes.storeError, `store: ${what} failed: ${describeError(e)}`, { cause: e });
}

export class SqliteDb {
  readonly describe: string;
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly busyRetryMs: number;

  /**
   * Opens (creating if needed) the file and applies pending migrations.
   * @throws CodedError `store_error` when the file cannot be opened, is not a database,
   * or has a newer schema than this code knows.
   */
  constructor(file: string, options: SqliteStoreOptions = {}) {
    const busyTimeoutMs = options.busyTimeoutMs ?? 50;
    this.busyRetryMs = options.busyRetryMs ?? 10_000;
    let db: Database.Database | undefined;
    try {
      if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      db = new Database(file, { timeout: busyTimeoutMs });
      db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`);
      db.pragma('synchronous = NORMAL');
      applyMigrations(db);
      this.db = db;
      this.describe = `sqlite:${file === ':memory:' ? ':memory:' : path.resolve(file)}`;
    } catch (e) {
      if (db?.open) db.close();
      throw storeError(`opening ${file === ':memory:' ? 'the in-memory database' : 'the database file'}`, e);
    }
  }

  /**
   * Runs one statement (or transaction); while another process holds the database, tries again
   * with a growing pause that lets the event loop run, up to `busyRetryMs`.
   * @throws CodedError `store_error` naming what failed.
   */
  async guard<T>(what: string, fn: () => T): Promise<T> {
    const deadline = Date.now() + this.busyRetryMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return fn();
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw storeError(what, e);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** attempt, 250)));
      }
    }
  }

  /** Prepared statements are cached per SQL text (all SQL here is built from fixed names). */
  stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
    this.statements.clear();
  }
}
