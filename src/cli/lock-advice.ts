import type { ChangeResult } from '../engine/model';

/**
 * The terminal's advice for a change refused because its service is busy. The holder renews its
 * lease, so it is most likely still working: wait first; breaking a live lock lets two changes run at once.
 */
export function lockHeldAdvice(result: Pick<ChangeResult, 'lockHolder' | 'service'>): string | null {
  if (!result.lockHolder) return null;
  return `wait for it (\`--wait-for-lock 10m\`); if its process is gone, \`ecs-chatops recover\` resumes it after the lease, and \`ecs-chatops locks break ${result.service} --force\` frees it now`;
}
