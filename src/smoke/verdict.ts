import type { SmokeResult } from '../engine/types';

/** True when no `fail`-severity check failed or could not run: the verdict a deploy acts on. */
export function smokePassed(results: readonly SmokeResult[]): boolean {
  return !results.some((r) => r.severity === 'fail' && (r.status === 'fail' || r.status === 'error'));
}
