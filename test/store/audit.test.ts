import Database from 'better-sqlite3';
import { openStore } from '../../src/store';
import type { AuditEntry } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/ports';
import { BOB, CLI_CAROL } from '../report/fixtures';
import { makeTempDir, type TempDir } from './temp-db';

const STOP_ENTRY: AuditEntry = {
  at: '2025-01-21T15:00:00.000Z',
  actor: CLI_CAROL,
  action: 'stop',
  service: 'backend',
  details: { reason: 'data leak suspected', desired: { from: 2, to: 0 } },
};

const APPROVE_ENTRY: AuditEntry = {
  at: '2025-01-21T15:01:00.000Z',
  actor: BOB,
  action: 'approval.approved',
  service: 'frontend',
  details: { approvalId: 'apr_1' },
};

describe('Class: SqliteStore, audit log', () => {
  let temp: TempDir;
  let store: StorePort;
  let raw: Database.Database;

  beforeEach(async () => {
    temp = makeTempDir();
    store = openStore(temp.dbPath);
    await store.appendAudit(STOP_ENTRY);
    await store.appendAudit(APPROVE_ENTRY);
    // A second, raw connection: what anyone with the file could try.
    raw = new Database(temp.dbPath);
  });

  afterEach(async () => {
    raw.close();
    await store.close();
    temp.remove();
  });

  it('lists entries newest first with their details, filtered by service and limit', async () => {
    const all = await store.listAudit({});
    expect(all.map((e) => e.action)).toEqual(['approval.approved', 'stop']);
    expect(all[1]).toEqual({ ...STOP_ENTRY, id: expect.any(Number) });
    expect((await store.listAudit({ service: 'backend' })).map((e) => e.action)).toEqual(['stop']);
    expect(await store.listAudit({ limit: 1 })).toHaveLength(1);
  });

  it('refuses an UPDATE of an audit row, even through another connection', async () => {
    expect(() => raw.prepare(`UPDATE audit SET action = 'nothing happened'`).run()).toThrow(/append-only/);
    expect((await store.listAudit({ service: 'backend' }))[0].action).toBe('stop');
  });

  it('refuses a DELETE of audit rows, even through another connection', async () => {
    expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(await store.listAudit({})).toHaveLength(2);
  });

  it('offers no way to change or remove an entry through the store', async () => {
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(store)).filter((m) => /audit/i.test(m));
    expect(methods.sort()).toEqual(['appendAudit', 'listAudit']);
  });
});
