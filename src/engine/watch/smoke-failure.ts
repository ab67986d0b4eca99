/** How a failed smoke run reads in a phase detail: shared by the rolling verification and the blue/green checks. */
import type { SmokeResult } from '../types';

/** One line: the first failing check with its reason, then the names of the others. */
export function smokeFailureReason(bad: SmokeResult[]): string {
  if (!bad.length) return 'smoke checks failed';
  const [first, ...rest] = bad;
  const others = rest.length ? `; also failed: ${rest.map((r) => r.name).join(', ')}` : '';
  return `${bad.length} check${bad.length > 1 ? 's' : ''} failed: ${first.name}: ${first.reason}${others}`;
}
