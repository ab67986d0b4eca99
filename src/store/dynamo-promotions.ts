/**
 * Two-person answers to a blue/green pause on DynamoDB: a request is put once per id (a
 * conditional put) and completed by a compare-and-set on `status`, so of racing clicks on any
 * replicas exactly one completes it. DynamoDB's TTL removes requests a while after they expired.
 */
import type { PromoteDecision, PromoteRequest } from '../engine/store-port';
import type { Actor } from '../engine/types';
import { judgeApproval } from './approval-rules';
import { APPROVAL_RETENTION_S, keys, TTL_ATTRIBUTE } from './dynamo-keys';
import type { DynamoTable, Item } from './dynamo-table';

/** False (nothing written) when a request with that id exists. */
export async function insertPromoteRequest(table: DynamoTable, request: PromoteRequest): Promise<boolean> {
  const expires = Date.parse(request.expiresAt);
  const item: Item = {
    ...keys.promote(request.id),
    ...request,
    [TTL_ATTRIBUTE]: Math.floor((Number.isNaN(expires) ? Date.now() : expires) / 1000) + APPROVAL_RETENTION_S,
  };
  const written = await table.put('recording a promote request', item, { expression: 'attribute_not_exists(pk)' });
  return written !== null;
}

export async function getPromoteRequest(table: DynamoTable, id: string): Promise<PromoteRequest | undefined> {
  const item = await table.get('reading a promote request', keys.promote(id));
  return item && fromItem(item);
}

/** See judgeApproval for the rules; the write is conditional on the request still being pending. */
export async function completePromoteRequest(
  table: DynamoTable,
  id: string,
  by: Actor,
  now: Date,
): Promise<PromoteDecision> {
  const request = await getPromoteRequest(table, id);
  if (!request) return { ok: false, reason: 'not_found', request: null };
  const verdict = judgeApproval(request, 'approved', by, now);
  if (verdict.kind === 'refuse') return { ok: false, reason: verdict.reason, request };
  if (verdict.kind === 'expire') return { ok: false, reason: 'expired', request };
  const item = await table.update(
    'completing a promote request',
    keys.promote(id),
    { status: 'used', decidedBy: by, decidedAt: now.toISOString() },
    { expression: '#status = :pending', names: { '#status': 'status' }, values: { ':pending': 'pending' } },
  );
  return item ? { ok: true, request: fromItem(item) } : { ok: false, reason: 'already_decided', request };
}

function fromItem(item: Item): PromoteRequest {
  return {
    id: item.id as string,
    service: item.service as string,
    changeId: item.changeId as string,
    hookId: item.hookId as string,
    action: item.action === 'ROLLBACK' ? 'ROLLBACK' : 'CONTINUE',
    requester: item.requester as Actor,
    createdAt: item.createdAt as string,
    expiresAt: item.expiresAt as string,
    status: item.status === 'used' ? 'used' : 'pending',
    decidedBy: (item.decidedBy ?? null) as Actor | null,
    decidedAt: (item.decidedAt ?? null) as string | null,
    slack: (item.slack ?? null) as PromoteRequest['slack'],
  };
}
