/** What a new change starts with: its id, its record, and the result when its service is busy. */
import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '../../errors';
import type { ChangeKind, ChangeResult, DeployRecord, LockInfo } from '../model';
import type { Actor } from '../types';
import { earlyResult } from './results';

export function newChangeId(kind: ChangeKind, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `${kind[0]}-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The record of a change that starts now, owned by `owner`. */
export function newDeployRecord(
  change: { id: string; kind: ChangeKind; service: string; sha: string | null; actor: Actor; at: string },
  owner: string,
): DeployRecord {
  return {
    ...change,
    digest: null,
    image: null,
    fromTaskDefinition: null,
    toTaskDefinition: null,
    finalTaskDefinition: null,
    outcome: 'running',
    startedAt: change.at,
    finishedAt: null,
    phases: [],
    result: null,
    owner,
    slack: null,
    reportPath: null,
    fence: 1,
  };
}

/**
 * Refused: another change holds the service's lock. The result names the holder as data
 * (`lockHolder`); the message says who holds it and gives no advice, which each surface words
 * itself (the terminal can wait or break the lock, Slack can only wait).
 */
export function lockHeldResult(early: Parameters<typeof earlyResult>[0], holder: LockInfo): ChangeResult {
  const lease = holder.leaseExpiresAt ? `, lease until ${holder.leaseExpiresAt}` : '';
  const who = `${holder.actor.name} via ${holder.actor.via}, since ${holder.acquiredAt}, process ${holder.owner}${lease}`;
  const message = `${early.service} is locked by ${holder.action} ${holder.changeId} (${who})`;
  return { ...earlyResult(early, 'refused', { code: ErrorCodes.lockHeld, message }), lockHolder: holder };
}
