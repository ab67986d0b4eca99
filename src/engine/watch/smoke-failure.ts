/** How a failed smoke run reads in a phase detail: shared by the rolling verification and the blue/green checks. */
import type { SmokeResult } from '../types';

/** The checks that fail a run: failed ones, and errors of checks whose severity is fail. */
function failedChecks(results: readonly SmokeResult[]): SmokeResult[] {
  return results.filter((r) => r.status === 'fail' || (r.status === 'error' && r.severity === 'fail'));
}

/** One line: the first failing check of `results` with its reason, then the names of the others. */
export function smokeFailureReason(results: readonly SmokeResult[]): string {
  const bad = failedChecks(results);
  if (!bad.length) return 'smoke checks failed';
  const [first, ...rest] = bad;
  const others = rest.length ? `; also failed: ${rest.map((r) => r.name).join(', ')}` : '';
  return `${bad.length} check${bad.length > 1 ? 's' : ''} failed: ${first.name}: ${first.reason}${others}`;
}
