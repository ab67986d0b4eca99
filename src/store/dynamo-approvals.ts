/**
 * Approval requests on DynamoDB. A decision is a compare-and-set on `status` (one
 * conditional update), so two people clicking at once cannot both decide, and `used`
 * consumes an approval once. DynamoDB's TTL removes requests a while after they expired.
 */
import type { ApprovalRequest, ApprovalStatus } from '../engine/model';
import type { ApprovalDecision } from '../engine/store-port';
import type { Actor } from '../engine/types';
import { CodedError, ErrorCodes } from '../errors';
import { judgeApproval } from './approval-rules';
import { GSI1, GSI2, keys, partitions } from './dynamo-keys';
import { approvalFromItem, approvalIndexKeys, approvalToItem } from './dynamo-items';
import type { DynamoTable, Item } from './dynamo-table';
import { APPROVAL_LIST_LIMIT } from './limits';

const STATUSES: ApprovalStatus[] = ['pending', 'approved', 'denied', 'expired', 'used'];

export async function insertApproval(table: DynamoTable, request: ApprovalRequest): Promise<void> {
  const written = await table.put('recording an approval request', approvalToItem(request), {
    expression: 'attribute_not_exists(pk)',
  });
  if (written === null) {
    throw new CodedError(ErrorCodes.storeError, `store: an approval request with id ${request.id} already exists`);
  }
}

export async function getApproval(table: DynamoTable, id: string): Promise<ApprovalRequest | undefined> {
  const item = await table.get('reading an approval request', keys.approval(id));
  return item && approvalFromItem(item);
}

/** Newest first, at most 500. */
export async function listApprovals(
  table: DynamoTable,
  filter: { service?: string; status?: ApprovalStatus },
): Promise<ApprovalRequest[]> {
  const what = 'listing approval requests';
  const { service, status } = filter;
  let items: Item[];
  if (service !== undefined) {
    items = await table.query(what, {
      IndexName: GSI1,
      KeyConditionExpression: status === undefined ? 'gsi1pk = :p' : 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
      ExpressionAttributeValues: {
        ':p': partitions.approvalsOfService(service),
        ...(status === undefined ? {} : { ':s': `${status}#` }),
      },
      ScanIndexForward: false,
    });
  } else {
    const byStatus = await Promise.all(
      (status === undefined ? STATUSES : [status]).map((s) =>
        table.query(
          what,
          {
            IndexName: GSI2,
            KeyConditionExpression: 'gsi2pk = :p',
            ExpressionAttributeValues: { ':p': partitions.approvalsByStatus(s) },
            ScanIndexForward: false,
          },
          APPROVAL_LIST_LIMIT,
        ),
      ),
    );
    items = byStatus.flat();
  }
  const newestFirst = (a: ApprovalRequest, b: ApprovalRequest) =>
    b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
  return items.map(approvalFromItem).sort(newestFirst).slice(0, APPROVAL_LIST_LIMIT);
}

/** See judgeApproval for the rules; the write is conditional on the status the verdict was made on. */
export async function decideApproval(
  table: DynamoTable,
  id: string,
  decision: 'approved' | 'denied' | 'used' | 'expired',
  by: Actor,
  now: Date,
): Promise<ApprovalDecision> {
  const request = await getApproval(table, id);
  if (!request) return { ok: false, reason: 'not_found', request: null };
  const verdict = judgeApproval(request, decision, by, now);
  if (verdict.kind === 'refuse') return { ok: false, reason: verdict.reason, request };
  const at = now.toISOString();
  if (verdict.kind === 'expire') {
    const expired = await setStatus(table, request, 'pending', 'expired', { decidedBy: null, decidedAt: at });
    return { ok: false, reason: 'expired', request: expired ?? (await getApproval(table, id)) ?? null };
  }
  const decider = verdict.recordDecider ? { decidedBy: by, decidedAt: at } : {};
  const decided = await setStatus(table, request, verdict.from, verdict.status, decider);
  return decided ? { ok: true, request: decided } : { ok: false, reason: 'already_decided', request };
}

/** Quietly does nothing for an unknown id, as the SQLite store does. */
export async function setApprovalSlack(
  table: DynamoTable,
  id: string,
  slack: { channel: string; ts: string },
): Promise<void> {
  await table.update(
    'recording an approval message',
    keys.approval(id),
    { slack },
    { expression: 'attribute_exists(pk)' },
  );
}

/** Compare-and-set on status, moving the request's index keys with it; null when another decision got there first. */
async function setStatus(
  table: DynamoTable,
  request: ApprovalRequest,
  from: ApprovalStatus,
  to: ApprovalStatus,
  extra: Item,
): Promise<ApprovalRequest | null> {
  const item = await table.update(
    'deciding an approval request',
    keys.approval(request.id),
    { status: to, ...approvalIndexKeys(request, to), ...extra },
    { expression: '#status = :from', names: { '#status': 'status' }, values: { ':from': from } },
  );
  return item && approvalFromItem(item);
}
