/**
 * The suite's own temporary folder. Global setup points TMPDIR (which `os.tmpdir()` reads on
 * every call, and child processes inherit) at a fresh folder; global teardown fails the run when
 * anything is left in it, names what, and removes it either way. So a test that forgets to remove
 * its temp files fails the suite instead of filling the system temp directory.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set while the suite runs: the temp root, and the TMPDIR to restore afterwards ('' when unset). */
const ROOT_KEY = 'ECS_CHATOPS_TEST_TMP_ROOT';
const SAVED_KEY = 'ECS_CHATOPS_TEST_SAVED_TMPDIR';

export function createTempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'ecs-chatops-jest-'));
  process.env[SAVED_KEY] = process.env.TMPDIR ?? '';
  process.env[ROOT_KEY] = root;
  process.env.TMPDIR = root;
  return root;
}

/**
 * Removes the temp root and restores TMPDIR.
 * @throws Error naming every entry that the tests left in the temp root.
 */
export function removeTempRoot(): void {
  const root = process.env[ROOT_KEY];
  if (!root) return;
  const saved = process.env[SAVED_KEY];
  if (saved) process.env.TMPDIR = saved;
  else delete process.env.TMPDIR;
  Reflect.deleteProperty(process.env, ROOT_KEY);
  Reflect.deleteProperty(process.env, SAVED_KEY);
  let left: string[];
  try {
    left = readdirSync(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  if (left.length > 0) {
    throw new Error(
      `the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp directory ` +
        `(each test must remove what it creates, on failure too): ${left.sort().join(', ')}`,
    );
  }
}
