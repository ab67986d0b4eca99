/** The desired counts an emergency stop keeps, on the SQLite file: one row per service. */
import type { SqliteDb } from './sqlite-db';

export async function setKeptCount(conn: SqliteDb, service: string, count: number): Promise<void> {
  return conn.guard('keeping a desired count', () => {
    conn
      .stmt(
        `INSERT INTO kept_counts (service, count, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (service) DO UPDATE SET count = excluded.count, updated_at = excluded.updated_at`,
      )
      .run(service, count, new Date().toISOString());
  });
}

export async function getKeptCount(conn: SqliteDb, service: string): Promise<number | undefined> {
  return conn.guard('reading a kept count', () => {
    const row = conn.stmt('SELECT count FROM kept_counts WHERE service = ?').get(service) as
      { count: number } | undefined;
    return row?.count;
  });
}

export async function clearKeptCount(conn: SqliteDb, service: string): Promise<void> {
  return conn.guard('clearing a kept count', () => {
    conn.stmt('DELETE FROM kept_counts WHERE service = ?').run(service);
  });
}
