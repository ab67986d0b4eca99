/** A database another process holds: the store waits off the event loop, then answers or says why. */
import Database from 'better-sqlite3';
import { openStore } from '../../src/store';
import type { StorePort } from '../../src/engine/ports';
import { isCodedError } from '../../src/errors';
import { SUCCEEDED_DEPLOY, recordFor } from '../report/fixtures';
import { openedAfterEach } from '../teardown';
import { makeTempDir, type TempDir } from './temp-db';

describe('SqliteStore: a database locked by another process', () => {
  let temp: TempDir;
  let store: StorePort;
  let other: Database.Database;
  const opened = openedAfterEach();

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(async () => {
    temp.remove();
  });

  /** Another connection takes the write lock, as a second process would. */
  function holdWriteLock(): () => void {
    other = opened(new Database(temp.dbPath), (db) => db.open && db.close());
    other.exec('BEGIN IMMEDIATE');
    return () => other.exec('COMMIT');
  }

  it('keeps the event loop free while it waits, and writes once the other process lets go', async () => {
    // Prepare
    store = opened(openStore(temp.dbPath), (s) => s.close());
    const release = holdWriteLock();
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    // Act
    const write = store.insertDeploy(recordFor(SUCCEEDED_DEPLOY));
    let written = false;
    void write.then(() => (written = true));
    while (ticks < 5) await new Promise((r) => setTimeout(r, 5));
    const beforeRelease = written;
    release();
    await write;
    clearInterval(ticker);
    // Assess: timers ran while the write waited, and the write landed after the release
    expect(beforeRelease).toBe(false);
    expect(await store.getDeploy(SUCCEEDED_DEPLOY.deployId!)).toBeDefined();
  });

  it('answers reads while another process writes (WAL)', async () => {
    store = opened(openStore(temp.dbPath), (s) => s.close());
    await store.insertDeploy(recordFor(SUCCEEDED_DEPLOY));
    holdWriteLock();
    expect((await store.listDeploys({})).map((d) => d.id)).toEqual([SUCCEEDED_DEPLOY.deployId]);
  });

  it('gives up with a store error that says the database is locked when the other process holds on', async () => {
    store = opened(openStore(temp.dbPath, { busyRetryMs: 100 }), (s) => s.close());
    holdWriteLock();
    const error = await store.insertDeploy(recordFor(SUCCEEDED_DEPLOY)).catch((e: unknown) => e);
    expect(isCodedError(error) && error.code).toBe('store_error');
    expect((error as Error).message).toMatch(/recording a deploy failed: .*locked/i);
  });
});
