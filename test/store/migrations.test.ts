import fs from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION, openStore } from '../../src/store';
import type { StorePort } from '../../src/engine/ports';
import { isCodedError } from '../../src/errors';
import { makeTempDir, type TempDir } from './temp-db';

describe('Function: openStore', () => {
  let temp: TempDir;
  const opened: StorePort[] = [];

  beforeEach(async () => {
    temp = makeTempDir();
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    temp.remove();
  });

  function open(): StorePort {
    const store = openStore(temp.dbPath);
    opened.push(store);
    return store;
  }

  it('creates the parent folder and the schema on a fresh file, in WAL mode', async () => {
    // Act
    const store = open();

    // Assess
    expect(fs.existsSync(temp.dbPath)).toBe(true);
    await expect(store.ping()).resolves.toBeUndefined();
    const raw = new Database(temp.dbPath, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = (
        raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
      ).map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining(['deploys', 'locks', 'approvals', 'kept_counts', 'audit', 'reports']),
      );
    } finally {
      raw.close();
    }
  });

  it('re-opens an existing file without migrating again and keeps its data', async () => {
    // Prepare
    const first = open();
    await first.setKeptCount('backend', 3);
    await first.close();

    // Act
    const second = open();

    // Assess
    expect(await second.getKeptCount('backend')).toBe(3);
  });

  it('refuses a file whose schema is newer than this code, with store_error', async () => {
    // Prepare
    await open().close();
    const raw = new Database(temp.dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    // Act
    let thrown: unknown;
    try {
      open();
    } catch (e) {
      thrown = e;
    }

    // Assess
    expect(isCodedError(thrown) && thrown.code).toBe('store_error');
    expect((thrown as Error).message).toMatch(/newer than this ecs-chatops knows/);
  });

  it('turns a file that is not a database into store_error with the cause kept', async () => {
    // Prepare
    fs.mkdirSync(temp.dir + '/data');
    fs.writeFileSync(temp.dbPath, 'this is not a database, just text that is long enough to have a header'.repeat(20));

    // Act
    let thrown: unknown;
    try {
      open();
    } catch (e) {
      thrown = e;
    }

    // Assess
    expect(isCodedError(thrown) && thrown.code).toBe('store_error');
    expect((thrown as Error).cause).toMatchObject({ code: 'SQLITE_NOTADB' });
  });

  it('opens a private in-memory store for :memory:', async () => {
    // Act
    const store = openStore(':memory:');
    opened.push(store);
    await store.setKeptCount('web', 2);

    // Assess
    expect(await store.getKeptCount('web')).toBe(2);
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
