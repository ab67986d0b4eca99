/**
 * `store migrate`: copies what a SQLite store holds into a DynamoDB table: deploy records,
 * reports, the audit log (with its original times), kept desired counts and approval
 * requests still pending. Running it twice copies nothing twice: every item has a key
 * derived from the source row, and writes are conditional on the item not being there.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { CodedError, ErrorCodes, describeError } from '../errors';
import { keys } from './dynamo-keys';
import { approvalToItem, auditToItem, deployToItem } from './dynamo-items';
import { getReport, saveReport } from './dynamo-reports';
import { DynamoTable, type DynamoTableOptions, type Item } from './dynamo-table';
import { approvalFromRow, auditFromRow, deployFromRow, type ApprovalRow, type AuditRow, type DeployRow } from './rows';

export interface CopyCount {
  /** Written by this run. */
  copied: number;
  /** Already in the table (an earlier run, or newer there). */
  skipped: number;
}

export interface MigrationResult {
  deploys: CopyCount;
  reports: CopyCount;
  audit: CopyCount;
  keptCounts: CopyCount;
  approvals: CopyCount;
}

export interface MigrateOptions {
  /** The SQLite file to read (opened read-only). */
  from: string;
  to: DynamoTableOptions;
  /** Pending approvals that expire before this are not copied (default: now). */
  now?: Date;
}

/** Writes in flight at once. */
const CONCURRENCY = 8;

/**
 * @throws CodedError `store_error` when the file cannot be read, the table does not answer, or
 * the SQLite store still holds a lock (a change may be running: let it finish or break the lock first).
 */
export async function migrateSqliteToDynamo(options: MigrateOptions): Promise<MigrationResult> {
  const db = await openReadOnly(options.from);
  const table = new DynamoTable(options.to);
  try {
    const locks = db.prepare('SELECT service, action, change_id FROM locks ORDER BY service').all() as {
      service: string;
      action: string;
      change_id: string;
    }[];
    if (locks.length > 0) {
      const held = locks.map((l) => `${l.service} (${l.action} ${l.change_id})`).join(', ');
      throw new CodedError(
        ErrorCodes.storeError,
        `store: the SQLite store still holds locks on ${held}: let those changes finish, or \`ecs-chatops locks break\` them, then migrate`,
      );
    }
    await table.describe();
    const rows = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
    const isNew = { expression: 'attribute_not_exists(pk)' };
    const now = (options.now ?? new Date()).toISOString();

    const deploys = await copyAll(rows<DeployRow>('SELECT * FROM deploys ORDER BY started_at'), (row) =>
      table.put('copying a deploy', deployToItem(deployFromRow(row)), isNew),
    );
    const reports = await copyAll(
      rows<{ deploy_id: string; markdown: string }>('SELECT deploy_id, markdown FROM reports'),
      async (row) => {
        if ((await getReport(table, row.deploy_id)) === row.markdown) return null;
        await saveReport(table, row.deploy_id, row.markdown);
        return undefined;
      },
    );
    const audit = await copyAll(rows<AuditRow>('SELECT * FROM audit ORDER BY id'), (row) =>
      table.put('copying an audit entry', auditToItem(auditFromRow(row), auditKey(row)), isNew),
    );
    const keptCounts = await copyAll(
      rows<{ service: string; count: number; updated_at: string }>('SELECT * FROM kept_counts'),
      (row) =>
        table.put(
          'copying a kept count',
          { ...keys.keptCount(row.service), service: row.service, count: row.count, updatedAt: row.updated_at },
          {
            // A count kept later in the table (a newer stop) stays.
            expression: 'attribute_not_exists(pk) OR updatedAt < :u',
            values: { ':u': row.updated_at },
          },
        ),
    );
    const approvals = await copyAll(
      rows<ApprovalRow>(`SELECT * FROM approvals WHERE status = 'pending' AND expires_at > ?`, now),
      (row) => table.put('copying an approval request', approvalToItem(approvalFromRow(row)), isNew),
    );
    return { deploys, reports, audit, keptCounts, approvals };
  } finally {
    db.close();
    table.close();
  }
}

/** The same row of the same log always gets the same key; its id keeps entries of one time in order. */
function auditKey(row: AuditRow): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([row.at, row.actor, row.action, row.service, row.details]))
    .digest('hex');
  return `sqlite-${String(row.id).padStart(12, '0')}-${digest.slice(0, 16)}`;
}

async function openReadOnly(file: string): Promise<Database.Database> {
  const { default: Sqlite } = await import('better-sqlite3');
  try {
    const db = new Sqlite(file, { readonly: true, fileMustExist: true });
    if ((db.pragma('user_version', { simple: true }) as number) < 1) {
      db.close();
      throw new Error('it has no ecs-chatops schema');
    }
    return db;
  } catch (e) {
    throw new CodedError(ErrorCodes.storeError, `store: cannot read the SQLite store ${file}: ${describeError(e)}`, {
      cause: e,
    });
  }
}

/** Runs `copy` over `rows`, a few at a time; `copy` answers null when the item was already there. */
async function copyAll<T>(rows: T[], copy: (row: T) => Promise<Item | undefined | null>): Promise<CopyCount> {
  const count: CopyCount = { copied: 0, skipped: 0 };
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      if ((await copy(row)) === null) count.skipped++;
      else count.copied++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
  return count;
}
