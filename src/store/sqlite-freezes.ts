/** Ad-hoc freezes on the SQLite file: one row per scope, replaced when set again. */
import type { AdHocFreeze } from '../engine/freeze/model';
import type { Actor } from '../engine/types';
import type { SqliteDb } from './sqlite-db';

interface FreezeRow {
  scope: string;
  reason: string;
  set_by: string;
  set_at: string;
  until: string;
}

function freezeFromRow(row: FreezeRow): AdHocFreeze {
  return {
    scope: row.scope,
    reason: row.reason,
    setBy: JSON.parse(row.set_by) as Actor,
    setAt: row.set_at,
    until: row.until,
  };
}

export class SqliteFreezes {
  constructor(private readonly conn: SqliteDb) {}

  async put(freeze: AdHocFreeze): Promise<void> {
    return this.conn.guard('setting a freeze', () => {
      this.conn
        .stmt(
          `INSERT INTO freezes (scope, reason, set_by, set_at, until) VALUES (@scope, @reason, @set_by, @set_at, @until)
         ON CONFLICT (scope) DO UPDATE SET reason = excluded.reason, set_by = excluded.set_by,
         set_at = excluded.set_at, until = excluded.until`,
        )
        .run({ ...freeze, set_by: JSON.stringify(freeze.setBy), set_at: freeze.setAt });
    });
  }

  async get(scopes: string[]): Promise<AdHocFreeze[]> {
    if (scopes.length === 0) return [];
    return this.conn.guard('reading freezes', () => {
      const marks = scopes.map(() => '?').join(', ');
      const rows = this.conn.stmt(`SELECT * FROM freezes WHERE scope IN (${marks}) ORDER BY scope`).all(...scopes);
      return (rows as FreezeRow[]).map(freezeFromRow);
    });
  }

  async list(): Promise<AdHocFreeze[]> {
    return this.conn.guard('listing freezes', () =>
      (this.conn.stmt('SELECT * FROM freezes ORDER BY scope').all() as FreezeRow[]).map(freezeFromRow),
    );
  }

  async delete(scope: string): Promise<AdHocFreeze | undefined> {
    return this.conn.guard('clearing a freeze', () => {
      const remove = this.conn.db.transaction(() => {
        const row = this.conn.stmt('SELECT * FROM freezes WHERE scope = ?').get(scope) as FreezeRow | undefined;
        if (row) this.conn.stmt('DELETE FROM freezes WHERE scope = ?').run(scope);
        return row && freezeFromRow(row);
      });
      return remove.immediate();
    });
  }
}
