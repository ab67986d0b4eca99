/**
 * The durable store on one SQLite file (better-sqlite3, synchronous underneath, asynchronous at
 * the port like every adapter). WAL mode and retries of a busy file (sqlite-db.ts) let the CLI
 * and the bot share it; locks and approval decisions are single
 * statements or immediate transactions, so two processes can never both win.
 */
import type { ApprovalRequest, ApprovalStatus, AuditEntry, DeployRecord, LockInfo } from '../engine/model';
import type {
  ApprovalDecision,
  DeployFilter,
  FenceGuard,
  LockResult,
  PromoteDecision,
  PromoteRequest,
  StorePort,
} from '../engine/store-port';
import { sqliteChangesBetween, type ChangeOutline, type ChangeWindow } from './history-window';
import type { Actor } from '../engine/types';
import { leaseRanOut, sameHolder } from './lease-rule';
import { AUDIT_LIMIT, clampLimit, DEPLOY_LIMIT } from './limits';
import type { AdHocFreeze } from '../engine/freeze/model';
import { SqliteApprovals } from './sqlite-approvals';
import { SqliteFreezes } from './sqlite-freezes';
import { SqliteDb, type SqliteStoreOptions } from './sqlite-db';
import { clearKeptCount, getKeptCount, setKeptCount } from './sqlite-kept-counts';
import { SqlitePromotions } from './sqlite-promotions';
import { getReport, saveReport, updateDeploy } from './sqlite-fenced';
import {
  auditFromRow,
  deployColumns,
  deployFromRow,
  lockFromRow,
  lockToRow,
  type AuditRow,
  type DeployRow,
  type LockRow,
} from './rows';

export type { SqliteStoreOptions } from './sqlite-db';

export class SqliteStore implements StorePort {
  readonly describe: string;
  private readonly conn: SqliteDb;
  private readonly approvals: SqliteApprovals;
  private readonly promotions: SqlitePromotions;
  private readonly freezes: SqliteFreezes;

  /**
   * Opens (creating if needed) the file and applies pending migrations.
   * @throws CodedError `store_error` when the file cannot be opened, is not a database,
   * or has a newer schema than this code knows.
   */
  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.conn = new SqliteDb(file, options);
    this.approvals = new SqliteApprovals(this.conn);
    this.promotions = new SqlitePromotions(this.conn);
    this.freezes = new SqliteFreezes(this.conn);
    this.describe = this.conn.describe;
  }

  // ---------- deploys ----------

  async insertDeploy(record: DeployRecord): Promise<void> {
    return this.conn.guard('recording a deploy', () => {
      const columns = { id: record.id, ...deployColumns(record) };
      const names = Object.keys(columns);
      this.conn
        .stmt(`INSERT INTO deploys (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`)
        .run(columns);
    });
  }

  /** @throws CodedError `store_error` when no deploy has that id, `stale_fence` when `guard` no longer holds. */
  updateDeploy(id: string, patch: Partial<Omit<DeployRecord, 'id'>>, guard?: FenceGuard): Promise<void> {
    return updateDeploy(this.conn, id, patch, guard);
  }

  async getDeploy(id: string): Promise<DeployRecord | undefined> {
    return this.conn.guard('reading a deploy', () => {
      const row = this.conn.stmt('SELECT * FROM deploys WHERE id = ?').get(id) as DeployRow | undefined;
      return row && deployFromRow(row);
    });
  }

  async listDeploys(filter: DeployFilter): Promise<DeployRecord[]> {
    return this.conn.guard('listing deploys', () => {
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
      return (this.conn.stmt(sql).all(params) as DeployRow[]).map(deployFromRow);
    });
  }

  async changesBetween(window: ChangeWindow): Promise<ChangeOutline[]> {
    return this.conn.guard('reading the history', () => sqliteChangesBetween(this.conn, window));
  }

  async runningDeploys(): Promise<DeployRecord[]> {
    return this.conn.guard('listing running deploys', () =>
      (this.conn.stmt(`SELECT * FROM deploys WHERE outcome = 'running' ORDER BY started_at`).all() as DeployRow[]).map(
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
    return this.conn.guard('taking a lock', () => {
      const take = this.conn.db.transaction((): LockResult => {
        const row = lockToRow(lock);
        const inserted = this.conn
          .stmt(
            `INSERT INTO locks (service, action, change_id, actor, owner, acquired_at, lease_expires_at, fence)
           VALUES (@service, @action, @change_id, @actor, @owner, @acquired_at, @lease_expires_at, @fence) ON CONFLICT (service) DO NOTHING`,
          )
          .run(row);
        if (inserted.changes === 1) return { ok: true };
        const holder = lockFromRow(
          this.conn.stmt('SELECT * FROM locks WHERE service = ?').get(lock.service) as LockRow,
        );
        const same = sameHolder(holder, lock);
        const expired = leaseRanOut(holder, now.getTime());
        if (!same && !expired) return { ok: false, holder };
        this.conn
          .stmt(
            `UPDATE locks SET action = @action, change_id = @change_id, actor = @actor, owner = @owner,
           acquired_at = @acquired_at, lease_expires_at = @lease_expires_at, fence = @fence WHERE service = @service`,
          )
          .run(same ? { ...row, acquired_at: holder.acquiredAt } : row);
        return same ? { ok: true } : { ok: true, tookOverFrom: holder };
      });
      return take.immediate();
    });
  }

  /** Extends the lease while `changeId` and `owner` still hold the lock; false when it was lost. */
  async renewLease(service: string, changeId: string, owner: string, leaseExpiresAt: string): Promise<boolean> {
    return this.conn.guard('renewing a lease', () => {
      const sql = 'UPDATE locks SET lease_expires_at = ? WHERE service = ? AND change_id = ? AND owner = ?';
      return this.conn.stmt(sql).run(leaseExpiresAt, service, changeId, owner).changes === 1;
    });
  }

  async releaseLock(service: string, changeId: string, fence?: number): Promise<boolean> {
    return this.conn.guard('releasing a lock', () => {
      const sql = `DELETE FROM locks WHERE service = ? AND change_id = ?${fence === undefined ? '' : ' AND COALESCE(fence, 0) = ?'}`;
      const params = fence === undefined ? [service, changeId] : [service, changeId, fence];
      return this.conn.stmt(sql).run(...params).changes === 1;
    });
  }

  async getLock(service: string): Promise<LockInfo | undefined> {
    return this.conn.guard('reading a lock', () => {
      const row = this.conn.stmt('SELECT * FROM locks WHERE service = ?').get(service) as LockRow | undefined;
      return row && lockFromRow(row);
    });
  }

  async listLocks(): Promise<LockInfo[]> {
    return this.conn.guard('listing locks', () =>
      (this.conn.stmt('SELECT * FROM locks ORDER BY service').all() as LockRow[]).map(lockFromRow),
    );
  }

  async breakLock(service: string): Promise<LockInfo | undefined> {
    return this.conn.guard('breaking a lock', () => {
      const remove = this.conn.db.transaction(() => {
        const row = this.conn.stmt('SELECT * FROM locks WHERE service = ?').get(service) as LockRow | undefined;
        if (row) this.conn.stmt('DELETE FROM locks WHERE service = ?').run(service);
        return row && lockFromRow(row);
      });
      return remove.immediate();
    });
  }

  // ---------- approvals (sqlite-approvals.ts) ----------

  insertApproval(request: ApprovalRequest): Promise<void> {
    return this.approvals.insert(request);
  }

  getApproval(id: string): Promise<ApprovalRequest | undefined> {
    return this.approvals.get(id);
  }

  listApprovals(filter: { service?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]> {
    return this.approvals.list(filter);
  }

  decideApproval(
    id: string,
    decision: 'approved' | 'denied' | 'used' | 'expired',
    by: Actor,
    now: Date,
  ): Promise<ApprovalDecision> {
    return this.approvals.decide(id, decision, by, now);
  }

  setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void> {
    return this.approvals.setSlack(id, slack);
  }

  // ---------- two-person answers to a pause (sqlite-promotions.ts) ----------

  insertPromoteRequest(request: PromoteRequest): Promise<boolean> {
    return this.promotions.insert(request);
  }

  getPromoteRequest(id: string): Promise<PromoteRequest | undefined> {
    return this.promotions.get(id);
  }

  completePromoteRequest(id: string, by: Actor, now: Date): Promise<PromoteDecision> {
    return this.promotions.complete(id, by, now);
  }

  // ---------- kept counts (sqlite-kept-counts.ts) ----------

  setKeptCount(service: string, count: number): Promise<void> {
    return setKeptCount(this.conn, service, count);
  }

  getKeptCount(service: string): Promise<number | undefined> {
    return getKeptCount(this.conn, service);
  }

  clearKeptCount(service: string): Promise<void> {
    return clearKeptCount(this.conn, service);
  }

  // ---------- ad-hoc freezes (sqlite-freezes.ts) ----------
  putFreeze = (freeze: AdHocFreeze): Promise<void> => this.freezes.put(freeze);
  getFreezes = (scopes: string[]): Promise<AdHocFreeze[]> => this.freezes.get(scopes);
  listFreezes = (): Promise<AdHocFreeze[]> => this.freezes.list();
  deleteFreeze = (scope: string): Promise<AdHocFreeze | undefined> => this.freezes.delete(scope);

  // ---------- audit (append-only: no update or delete here, and triggers refuse them) ----------

  async appendAudit(entry: AuditEntry): Promise<void> {
    return this.conn.guard('appending to the audit log', () => {
      this.conn
        .stmt('INSERT INTO audit (at, actor, action, service, details) VALUES (?, ?, ?, ?, ?)')
        .run(entry.at, JSON.stringify(entry.actor), entry.action, entry.service, JSON.stringify(entry.details));
    });
  }

  /** Newest first. */
  async listAudit(filter: { service?: string; limit?: number }): Promise<AuditEntry[]> {
    return this.conn.guard('reading the audit log', () => {
      const limit = clampLimit(filter.limit, AUDIT_LIMIT);
      const rows =
        filter.service === undefined
          ? this.conn.stmt('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit)
          : this.conn.stmt('SELECT * FROM audit WHERE service = ? ORDER BY id DESC LIMIT ?').all(filter.service, limit);
      return (rows as AuditRow[]).map(auditFromRow);
    });
  }

  // ---------- reports ----------

  async saveReport(deployId: string, markdown: string, fence?: number): Promise<void> {
    return saveReport(this.conn, deployId, markdown, fence);
  }

  getReport(deployId: string): Promise<string | undefined> {
    return getReport(this.conn, deployId);
  }

  // ---------- health ----------

  /** Rejects with `store_error` naming the reason when the file does not answer (closed, locked, gone). */
  async ping(): Promise<void> {
    await this.conn.guard('answering a ping', () => this.conn.db.prepare('SELECT 1 AS one').get());
  }

  /** Idempotent. */
  close(): Promise<void> {
    this.conn.close();
    return Promise.resolve();
  }
}
