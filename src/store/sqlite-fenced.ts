/**
 * The writes of a running change on the SQLite file that are fenced: each is made only while the
 * change's fencing token is the writer's, checked in the same statement or immediate transaction.
 */
import type { DeployRecord } from '../engine/model';
import type { FenceGuard } from '../engine/store-port';
import { CodedError, ErrorCodes } from '../errors';
import { deployColumns, type DeployRow } from './rows';
import type { SqliteDb } from './sqlite-db';

/** The refusal of a write whose fencing token moved on (another process took the change over). */
export function staleFence(id: string, current: { fence: number; outcome: string }): CodedError {
  return new CodedError(
    ErrorCodes.staleFence,
    `store: change ${id} is now at fencing token ${current.fence} (${current.outcome}); this process no longer owns it`,
    { details: { changeId: id, fence: current.fence } },
  );
}

/**
 * @throws CodedError `store_error` when no deploy has that id, `stale_fence` when `guard` no
 * longer holds (nothing is written then).
 */
export async function updateDeploy(
  conn: SqliteDb,
  id: string,
  patch: Partial<Omit<DeployRecord, 'id'>>,
  guard?: FenceGuard,
): Promise<void> {
  return conn.guard('updating a deploy', () => {
    const columns = deployColumns(patch);
    const names = Object.keys(columns);
    if (names.length === 0 && !guard) return;
    const sets = (names.length ? names : ['id']).map((n) => `${n} = @${n}`).join(', ');
    const fenced = guard ? ` AND fence = @guard_fence${guard.running ? ` AND outcome = 'running'` : ''}` : '';
    const info = conn
      .stmt(`UPDATE deploys SET ${sets} WHERE id = @id${fenced}`)
      .run({ ...columns, id, ...(guard ? { guard_fence: guard.fence } : {}) });
    if (info.changes === 1) return;
    const row = conn.stmt('SELECT fence, outcome FROM deploys WHERE id = ?').get(id) as
      Pick<DeployRow, 'fence' | 'outcome'> | undefined;
    if (!row) throw new CodedError(ErrorCodes.storeError, `store: no deploy with id ${id}`);
    throw staleFence(id, row);
  });
}

/** @throws CodedError `stale_fence` when `fence` is given and the change's token moved on. */
export async function saveReport(conn: SqliteDb, deployId: string, markdown: string, fence?: number): Promise<void> {
  return conn.guard('saving a report', () => {
    const save = conn.db.transaction(() => {
      if (fence !== undefined) {
        const row = conn.stmt('SELECT fence, outcome FROM deploys WHERE id = ?').get(deployId) as
          { fence: number; outcome: string } | undefined;
        if (row && row.fence !== fence) throw staleFence(deployId, row);
      }
      conn
        .stmt(
          `INSERT INTO reports (deploy_id, markdown, saved_at, fence) VALUES (?, ?, ?, ?)
           ON CONFLICT (deploy_id) DO UPDATE SET markdown = excluded.markdown, saved_at = excluded.saved_at, fence = excluded.fence`,
        )
        .run(deployId, markdown, new Date().toISOString(), fence ?? null);
    });
    save.immediate();
  });
}

export async function getReport(conn: SqliteDb, deployId: string): Promise<string | undefined> {
  return conn.guard('reading a report', () => {
    const row = conn.stmt('SELECT markdown FROM reports WHERE deploy_id = ?').get(deployId) as
      { markdown: string } | undefined;
    return row?.markdown;
  });
}
