/**
 * The store's schema, as an ordered list of migrations. Migration N (1-based) brings the
 * file from `user_version` N-1 to N. Never edit a released migration: append a new one.
 */
import type Database from 'better-sqlite3';
import { CodedError, ErrorCodes } from '../errors';

export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema
  `
  CREATE TABLE deploys (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    service TEXT NOT NULL,
    sha TEXT,
    digest TEXT,
    image TEXT,
    from_task_definition TEXT,
    to_task_definition TEXT,
    final_task_definition TEXT,
    outcome TEXT NOT NULL,
    actor TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    phases TEXT NOT NULL DEFAULT '[]',
    result TEXT,
    owner TEXT NOT NULL,
    slack_channel TEXT,
    slack_ts TEXT,
    report_path TEXT
  );
  CREATE INDEX deploys_service_started ON deploys (service, started_at);
  CREATE INDEX deploys_started ON deploys (started_at);
  CREATE INDEX deploys_outcome ON deploys (outcome);

  CREATE TABLE locks (
    service TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    change_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    owner TEXT NOT NULL,
    acquired_at TEXT NOT NULL
  );

  CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    action TEXT NOT NULL,
    params TEXT NOT NULL,
    requester TEXT NOT NULL,
    reason TEXT NOT NULL,
    impact TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    slack_channel TEXT,
    slack_ts TEXT
  );
  CREATE INDEX approvals_service_status ON approvals (service, status);

  CREATE TABLE kept_counts (
    service TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    service TEXT,
    details TEXT NOT NULL
  );
  CREATE INDEX audit_service ON audit (service, id);
  -- The audit log is append-only, whoever holds a connection to the file.
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

  CREATE TABLE reports (
    deploy_id TEXT PRIMARY KEY,
    markdown TEXT NOT NULL,
    saved_at TEXT NOT NULL
  );
  `,
  // 2: locks are leases: the holder renews lease_expires_at; past it, another process may take over
  `
  ALTER TABLE locks ADD COLUMN lease_expires_at TEXT;
  `,
  // 3: a Cancel asked for by another process, which the process running the change acts on
  `
  ALTER TABLE deploys ADD COLUMN cancel_request TEXT;
  `,
  // 4: what a deploy shipped (commit count, oldest commit date, as JSON), for delivery metrics
  `
  ALTER TABLE deploys ADD COLUMN changes_summary TEXT;
  `,
  // 5: ad-hoc change freezes, one per scope (a service or 'all')
  `
  CREATE TABLE freezes (
    scope TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    until TEXT NOT NULL
  );
  `,
  // 6: fencing tokens (a generation raised at every takeover), and two-person answers to a pause
  `
  ALTER TABLE deploys ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE locks ADD COLUMN fence INTEGER;
  ALTER TABLE reports ADD COLUMN fence INTEGER;

  CREATE TABLE promote_requests (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    change_id TEXT NOT NULL,
    hook_id TEXT NOT NULL,
    action TEXT NOT NULL,
    requester TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    slack_channel TEXT,
    slack_ts TEXT
  );
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file up to SCHEMA_VERSION, each pending migration in one immediate transaction
 * (so two processes opening a fresh file at once cannot both migrate it).
 * @throws CodedError `store_error` when the file's schema is newer than this code knows.
 */
export function applyMigrations(db: Database.Database): number {
  const migrate = db.transaction(() => {
    const current = schemaVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new CodedError(
        ErrorCodes.storeError,
        `the database schema is version ${current}, newer than this ecs-chatops knows (${SCHEMA_VERSION}): upgrade ecs-chatops`,
        { details: { fileVersion: current, knownVersion: SCHEMA_VERSION } },
      );
    }
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version - 1]);
      // user_version cannot take a bound parameter; `version` is our own integer.
      db.pragma(`user_version = ${version}`);
    }
    return SCHEMA_VERSION;
  });
  return migrate.immediate();
}

/** The schema version recorded in the file (0 for a fresh one). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
