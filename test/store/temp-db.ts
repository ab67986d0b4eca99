/** Temporary database files for store tests, removed (with their WAL files) afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  dir: string;
  /** A database path inside the temp dir, in a subfolder that does not exist yet. */
  dbPath: string;
  remove(): void;
}

export function makeTempDir(prefix = 'store-test-'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    dbPath: path.join(dir, 'data', 'ecs-chatops.db'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
