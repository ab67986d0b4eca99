/**
 * The durable store on one SQLite file (better-sqlite3, synchronous underneath, asynchronous at
 * the port like every adapter). WAL mode and a busy
 * timeout let the CLI and the bot share the file; locks and approval decisions are single
 * statements or immediate transactions, so two processes can never both win.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CodedError, ErrorCodes, describeError } from '../errors';
import type { ApprovalRequest, ApprovalStatus, AuditEntry, DeployRecord, LockInfo } from '../engine/model';
import type { ApprovalDecision, DeployFilter, LockResult, StorePort } from '../engine/store-port';
import type { Actor } from '../engine/types';
import { judgeApproval } from './approval-rules';
import { applyMigrations } from './migrations';
import {
  approvalFromRow,
  approvalToRow,
  auditFromRow,
  deployColumns,
  deployFromRow,
  lockFromRow,
  lockToRow,
  type ApprovalRow,
  type AuditRow,
  type DeployRow,
  type LockRow,
} from './rows';

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

const DEPLOY_LIMIT = { default: 20, max: 500 };
const AUDIT_LIMIT = { default: 100, max: 1000 };

function clampLimit(limit: number | undefined, bounds: { default: number; max: number }): number {
  if (limit === undefined || !Number.isFinite(limit)) return bounds.default;
  return Math.min(Math.max(1, Math.floor(limit)), bounds.max);
}

/** Turns anything thrown by SQLite into `store_error`, keeping the original as cause. */
function storeError(what: string, e: unknown): CodedError {
  if (e instanceof CodedError) return e;
  return new CodedError(ErrorCodes.storeError, `store: ${what} failed: ${describeError(e)}`, { cause: e });
}

export class SqliteStore implements StorePort {
  readonly describe: string;
  private readonly db: Database.Database;
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

  // ---------- deploys ----------

  async insertDeploy(record: DeployRecord): Promise<void> {
    return this.guard('recording a deploy', () => {
      const columns = { id: record.id, ...deployColumns(record) };
      const names = Object.keys(columns);
      this.stmt(`INSERT INTO deploys (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(columns);
    });
  }

  /** @throws CodedError `store_error` when no deploy has that id. */
  async updateDeploy(id: string, patch: Partial<Omit<DeployRecord, 'id'>>): Promise<void> {
    return this.guard('updating a deploy', () => {
      const columns = deployColumns(patch);
      const names = Object.keys(columns);
      if (names.length === 0) return;
      const sets = names.map((n) => `${n} = @${n}`).join(', ');
      const info = this.stmt(`UPDATE deploys SET ${sets} WHERE id = @id`).run({ ...columns, id });
      if (info.changes === 0) throw new CodedError(ErrorCodes.storeError, `store: no deploy with id ${id}`);
    });
  }

  async getDeploy(id: string): Promise<DeployRecord | undefined> {
    return this.guard('reading a deploy', () => {
      const row = this.stmt('SELECT * FROM deploys WHERE id = ?').get(id) as DeployRow | undefined;
      return row && deployFromRow(row);
    });
  }

  async listDeploys(filter: DeployFilter): Promise<DeployRecord[]> {
    return this.guard('listing deploys', () => {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit: clampLimit(filter.limit, DEPLOY_LIMIT) };
      if (filter.service === undefined && filter.services) {
        if (filter.services.length === 0) return [];
        where.push(`service IN (${filter.services.map((_, i) => `@s${i}`).join(', ')})`);
        filter.services.forEach((name, i) => (params[`s${i}`] = name));
      }
      for (const key of ['service', 'kind', 'outcome'] as const) {
        const value = filter[key];
        if (value !== undefined) {
          where.push(`${key} = @${key}`);
          params[key] = value;
        }
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const sql = `SELECT * FROM deploys ${clause} ORDER BY started_at DESC, rowid DESC LIMIT @limit`;
      return (this.stmt(sql).all(params) as DeployRow[]).map(deployFromRow);
    });
  }

  async runningDeploys(): Promise<DeployRecord[]> {
    return this.guard('listing running deploys', () =>
      (this.stmt(`SELECT * FROM deploys WHERE outcome = 'running' ORDER BY started_at`).all() as DeployRow[]).map(
        deployFromRow,
      ),
    );
  }

  // ---------- locks ----------

  /**
   * Takes the lock when it is free, when the same change and owner hold it (the lease is
   * extended), or when the holder's lease ended before `now` (a takeover, in one immediate
   * transaction, so of racing processes exactly one wins).
   */
  async acquireLock(lock: LockInfo & { leaseExpiresAt: string }, now: Date): Promise<LockResult> {
    return this.guard('taking a lock', () => {
      const take = this.db.transaction((): LockResult => {
        const row = lockToRow(lock);
        const inserted = this.stmt(
          `INSERT INTO locks (service, action, change_id, actor, owner, acquired_at, lease_expires_at)
           VALUES (@service, @action, @change_id, @actor, @owner, @acquired_at, @lease_expires_at) ON CONFLICT (service) DO NOTHING`,
        ).run(row);
        if (inserted.changes === 1) return { ok: true };
        const holder = lockFromRow(this.stmt('SELECT * FROM locks WHERE service = ?').get(lock.service) as LockRow);
        const same = holder.changeId === lock.changeId && holder.owner === lock.owner;
        const expired = holder.leaseExpiresAt !== undefined && Date.parse(holder.leaseExpiresAt) <= now.getTime();
        if (!same && !expired) return { ok: false, holder };
        this.stmt(
          `UPDATE locks SET action = @action, change_id = @change_id, actor = @actor, owner = @owner,
           acquired_at = @acquired_at, lease_expires_at = @lease_expires_at WHERE service = @service`,
        ).run(same ? { ...row, acquired_at: holder.acquiredAt } : row);
        return same ? { ok: true } : { ok: true, tookOverFrom: holder };
      });
      return take.immediate();
    });
  }

  /** Extends the lease while `changeId` and `owner` still hold the lock; false when it was lost. */
  async renewLease(service: string, changeId: string, owner: string, leaseExpiresAt: string): Promise<boolean> {
    return this.guard('renewing a lease', () => {
      const sql = 'UPDATE locks SET lease_expires_at = ? WHERE service = ? AND change_id = ? AND owner = ?';
      return this.stmt(sql).run(leaseExpiresAt, service, changeId, owner).changes === 1;
    });
  }

  async releaseLock(service: string, changeId: string): Promise<boolean> {
    return this.guard('releasing a lock', () => {
      return this.stmt('DELETE FROM locks WHERE service = ? AND change_id = ?').run(service, changeId).changes === 1;
    });
  }

  async getLock(service: string): Promise<LockInfo | undefined> {
    return this.guard('reading a lock', () => {
      const row = this.stmt('SELECT * FROM locks WHERE service = ?').get(service) as LockRow | undefined;
      return row && lockFromRow(row);
    });
  }

  async listLocks(): Promise<LockInfo[]> {
    return this.guard('listing locks', () =>
      (this.stmt('SELECT * FROM locks ORDER BY service').all() as LockRow[]).map(lockFromRow),
    );
  }

  async breakLock(service: string): Promise<LockInfo | undefined> {
    return this.guard('breaking a lock', () => {
      const remove = this.db.transaction(() => {
        const row = this.stmt('SELECT * FROM locks WHERE service = ?').get(service) as LockRow | undefined;
        if (row) this.stmt('DELETE FROM locks WHERE service = ?').run(service);
        return row && lockFromRow(row);
      });
      return remove.immediate();
    });
  }

  // ---------- approvals ----------

  async insertApproval(request: ApprovalRequest): Promise<void> {
    return this.guard('recording an approval request', () => {
      const row = approvalToRow(request);
      const names = Object.keys(row);
      this.stmt(`INSERT INTO approvals (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(row);
    });
  }

  async getApproval(id: string): Promise<ApprovalRequest | undefined> {
    return this.guard('reading an approval request', () => this.readApproval(id));
  }

  async listApprovals(filter: { service?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]> {
    return this.guard('listing approval requests', () => {
      const where: string[] = [];
      const params: Record<string, string> = {};
      for (const key of ['service', 'status'] as const) {
        const value = filter[key];
        if (value !== undefined) {
          where.push(`${key} = @${key}`);
          params[key] = value;
        }
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const sql = `SELECT * FROM approvals ${clause} ORDER BY created_at DESC, rowid DESC LIMIT 500`;
      return (this.stmt(sql).all(params) as ApprovalRow[]).map(approvalFromRow);
    });
  }

  /** See judgeApproval for the rules; the read and the write happen in one immediate transaction. */
  async decideApproval(id: string, decision: 'approved' | 'denied' | 'used' | 'expired', by: Actor, now: Date): Promise<ApprovalDecision> {
    return this.guard('deciding an approval request', () => {
      const decide = this.db.transaction((): ApprovalDecision => {
        const request = this.readApproval(id);
        if (!request) return { ok: false, reason: 'not_found', request: null };
        const verdict = judgeApproval(request, decision, by, now);
        if (verdict.kind === 'refuse') return { ok: false, reason: verdict.reason, request };
        const at = now.toISOString();
        if (verdict.kind === 'expire') {
          this.setApprovalStatus(id, 'pending', 'expired', null, at);
          return { ok: false, reason: 'expired', request: this.readApproval(id) ?? null };
        }
        const decider = verdict.recordDecider ? by : null;
        if (!this.setApprovalStatus(id, verdict.from, verdict.status, decider, at)) {
          return { ok: false, reason: 'already_decided', request };
        }
        return { ok: true, request: this.readApproval(id) as ApprovalRequest };
      });
      return decide.immediate();
    });
  }

  async setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void> {
    return this.guard('recording an approval message', () => {
      this.stmt('UPDATE approvals SET slack_channel = ?, slack_ts = ? WHERE id = ?').run(slack.channel, slack.ts, id);
    });
  }

  // ---------- kept counts ----------

  async setKeptCount(service: string, count: number): Promise<void> {
    return this.guard('keeping a desired count', () => {
      this.stmt(
        `INSERT INTO kept_counts (service, count, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (service) DO UPDATE SET count = excluded.count, updated_at = excluded.updated_at`,
      ).run(service, count, new Date().toISOString());
    });
  }

  async getKeptCount(service: string): Promise<number | undefined> {
    return this.guard('reading a kept count', () => {
      const row = this.stmt('SELECT count FROM kept_counts WHERE service = ?').get(service) as { count: number } | undefined;
      return row?.count;
    });
  }

  async clearKeptCount(service: string): Promise<void> {
    return this.guard('clearing a kept count', () => {
      this.stmt('DELETE FROM kept_counts WHERE service = ?').run(service);
    });
  }

  // ---------- audit (append-only: no update or delete here, and triggers refuse them) ----------

  async appendAudit(entry: AuditEntry): Promise<void> {
    return this.guard('appending to the audit log', () => {
      this.stmt('INSERT INTO audit (at, actor, action, service, details) VALUES (?, ?, ?, ?, ?)').run(
        entry.at,
        JSON.stringify(entry.actor),
        entry.action,
        entry.service,
        JSON.stringify(entry.details ?? {}),
      );
    });
  }

  /** Newest first. */
  async listAudit(filter: { service?: string; limit?: number }): Promise<AuditEntry[]> {
    return this.guard('reading the audit log', () => {
      const limit = clampLimit(filter.limit, AUDIT_LIMIT);
      const rows =
        filter.service === undefined
          ? this.stmt('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit)
          : this.stmt('SELECT * FROM audit WHERE service = ? ORDER BY id DESC LIMIT ?').all(filter.service, limit);
      return (rows as AuditRow[]).map(auditFromRow);
    });
  }

  // ---------- reports ----------

  async saveReport(deployId: string, markdown: string): Promise<void> {
    return this.guard('saving a report', () => {
      this.stmt(
        `INSERT INTO reports (deploy_id, markdown, saved_at) VALUES (?, ?, ?)
         ON CONFLICT (deploy_id) DO UPDATE SET markdown = excluded.markdown, saved_at = excluded.saved_at`,
      ).run(deployId, markdown, new Date().toISOString());
    });
  }

  async getReport(deployId: string): Promise<string | undefined> {
    return this.guard('reading a report', () => {
      const row = this.stmt('SELECT markdown FROM reports WHERE deploy_id = ?').get(deployId) as
        | { markdown: string }
        | undefined;
      return row?.markdown;
    });
  }

  // ---------- health ----------

  /** Rejects with `store_error` naming the reason when the file does not answer (closed, locked, gone). */
  async ping(): Promise<void> {
    await this.guard('answering a ping', () => this.db.prepare('SELECT 1 AS one').get());
  }

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    this.statements.clear();
  }

  // ---------- internals ----------

  /**
   * Runs one statement (or transaction); while another process holds the database, tries again
   * with a growing pause that lets the event loop run, up to `busyRetryMs`.
   * @throws CodedError `store_error` naming what failed.
   */
  private async guard<T>(what: string, fn: () => T): Promise<T> {
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
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private readApproval(id: string): ApprovalRequest | undefined {
    const row = this.stmt('SELECT * FROM approvals WHERE id = ?').get(id) as ApprovalRow | undefined;
    return row && approvalFromRow(row);
  }

  /** Compare-and-set on the status column; false when another decision got there first. */
  private setApprovalStatus(id: string, from: ApprovalStatus, to: ApprovalStatus, by: Actor | null, at: string): boolean {
    const keepDecider = by === null && to === 'used';
    const sql = keepDecider
      ? 'UPDATE approvals SET status = @to WHERE id = @id AND status = @from'
      : 'UPDATE approvals SET status = @to, decided_by = @by, decided_at = @at WHERE id = @id AND status = @from';
    const params = keepDecider ? { id, from, to } : { id, from, to, by: by === null ? null : JSON.stringify(by), at };
    return this.stmt(sql).run(params).changes === 1;
  }
}
