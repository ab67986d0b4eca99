/**
 * Conversions between DynamoDB items and the engine's model values. Free-form values
 * (a deploy's result, approval parameters, audit details) are kept as JSON text, so they
 * read back exactly as the SQLite store gives them.
 */
import type { ApprovalRequest, AuditEntry, DeployRecord, ChangeResult, LockInfo } from '../engine/model';
import { APPROVAL_RETENTION_S, GSI1, GSI2, TTL_ATTRIBUTE, keys, partitions, timeKey } from './dynamo-keys';
import type { Item } from './dynamo-table';

/** DynamoDB refuses items over 400 KB; a deploy's result is cut down well before that. */
const MAX_RESULT_BYTES = 300_000;

const DEPLOY_FIELDS = [
  'kind',
  'service',
  'sha',
  'digest',
  'image',
  'fromTaskDefinition',
  'toTaskDefinition',
  'finalTaskDefinition',
  'outcome',
  'actor',
  'startedAt',
  'finishedAt',
  'phases',
  'result',
  'owner',
  'slack',
  'reportPath',
  'cancelRequest',
  'fence',
  'changesSummary',
] as const;

const gsi = (index: string, pk: string, sk: string): Item => ({ [`${index}pk`]: pk, [`${index}sk`]: sk });

/** The index keys a deploy record is listed under, from the fields they depend on. */
export function deployIndexKeys(record: Pick<DeployRecord, 'id' | 'service' | 'startedAt' | 'outcome'>): Item {
  const at = timeKey(record.startedAt, record.id);
  return {
    ...gsi(GSI1, partitions.deploysOfService(record.service), at),
    ...gsi(GSI2, partitions.deploys(record.outcome === 'running'), at),
  };
}

/** The stored value of one deploy field (`result` as JSON text, cut to fit an item). */
function deployAttribute(field: (typeof DEPLOY_FIELDS)[number], value: unknown): unknown {
  if (field !== 'result' || value === null || value === undefined) return value;
  return fitResult(value as ChangeResult);
}

export function deployToItem(record: DeployRecord): Item {
  const item: Item = { ...keys.deploy(record.id), id: record.id, ...deployIndexKeys(record) };
  for (const field of DEPLOY_FIELDS) item[field] = deployAttribute(field, record[field]);
  return item;
}

/** The fields of `patch` that are deploy fields, as stored values. */
export function deployPatchAttributes(patch: Partial<DeployRecord>): Item {
  const out: Item = {};
  for (const field of DEPLOY_FIELDS) if (patch[field] !== undefined) out[field] = deployAttribute(field, patch[field]);
  return out;
}

export function deployFromItem(item: Item): DeployRecord {
  const record = { id: item.id } as Record<string, unknown>;
  for (const field of DEPLOY_FIELDS) record[field] = item[field] ?? null;
  record.phases = item.phases ?? [];
  record.result = typeof item.result === 'string' ? JSON.parse(item.result) : null;
  // Present only once someone asked.
  if (!item.cancelRequest) delete record.cancelRequest;
  if (item.fence === undefined || item.fence === null) delete record.fence;
  else record.fence = Number(item.fence);
  if (!item.changesSummary) delete record.changesSummary;
  return record as unknown as DeployRecord;
}

/** The result as JSON text; when too large, without its target list and log sample, then without detail. */
function fitResult(result: ChangeResult): string {
  const text = JSON.stringify(result);
  if (Buffer.byteLength(text) <= MAX_RESULT_BYTES) return text;
  const lighter: ChangeResult = {
    ...result,
    targets: result.targets.slice(0, 20),
    logs: result.logs && { ...result.logs, sample: [], truncated: true },
    phases: result.phases.map((p) => ({ ...p, detail: p.detail.slice(0, 500) })),
    smoke: result.smoke.map((s) => ({ ...s, reason: s.reason.slice(0, 200) })),
    changes: result.changes && { ...result.changes, commits: result.changes.commits.slice(0, 50) },
  };
  const lighterText = JSON.stringify(lighter);
  if (Buffer.byteLength(lighterText) <= MAX_RESULT_BYTES) return lighterText;
  return JSON.stringify({
    ...lighter,
    phases: [],
    smoke: [],
    targets: [],
    changes: lighter.changes && { ...lighter.changes, commits: [] },
    summary: lighter.summary.slice(0, 1000),
  });
}

export function lockToItem(lock: LockInfo): Item {
  return { ...keys.lock(lock.service), ...gsi(GSI2, partitions.locks, lock.service), ...lock };
}

export function lockFromItem(item: Item): LockInfo {
  const lock: LockInfo = {
    service: item.service as string,
    action: item.action as LockInfo['action'],
    changeId: item.changeId as string,
    actor: item.actor as LockInfo['actor'],
    owner: item.owner as string,
    acquiredAt: item.acquiredAt as string,
  };
  if (typeof item.leaseExpiresAt === 'string') lock.leaseExpiresAt = item.leaseExpiresAt;
  if (item.fence !== undefined && item.fence !== null) lock.fence = Number(item.fence);
  return lock;
}

/** The index keys of an approval in a given status. */
export function approvalIndexKeys(
  request: Pick<ApprovalRequest, 'id' | 'service' | 'createdAt'>,
  status: string,
): Item {
  const at = timeKey(request.createdAt, request.id);
  return {
    ...gsi(GSI1, partitions.approvalsOfService(request.service), `${status}#${at}`),
    ...gsi(GSI2, partitions.approvalsByStatus(status), at),
  };
}

export function approvalToItem(request: ApprovalRequest): Item {
  const expires = Date.parse(request.expiresAt);
  return {
    ...keys.approval(request.id),
    ...approvalIndexKeys(request, request.status),
    ...request,
    params: JSON.stringify(request.params),
    [TTL_ATTRIBUTE]: Math.floor((Number.isNaN(expires) ? Date.now() : expires) / 1000) + APPROVAL_RETENTION_S,
  };
}

export function approvalFromItem(item: Item): ApprovalRequest {
  return {
    id: item.id as string,
    service: item.service as string,
    action: item.action as ApprovalRequest['action'],
    params: JSON.parse(item.params as string) as ApprovalRequest['params'],
    requester: item.requester as ApprovalRequest['requester'],
    reason: item.reason as string,
    impact: item.impact as string,
    createdAt: item.createdAt as string,
    expiresAt: item.expiresAt as string,
    status: item.status as ApprovalRequest['status'],
    decidedBy: (item.decidedBy ?? null) as ApprovalRequest['decidedBy'],
    decidedAt: (item.decidedAt ?? null) as string | null,
    slack: (item.slack ?? null) as ApprovalRequest['slack'],
  };
}

/** `key` makes the entry unique (and, for copies from another store, makes copying twice harmless). */
export function auditToItem(entry: AuditEntry, key: string): Item {
  const at = timeKey(entry.at, key);
  return {
    ...keys.audit(key),
    ...(entry.service === null ? {} : gsi(GSI1, partitions.auditOfService(entry.service), at)),
    ...gsi(GSI2, partitions.audit, at),
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    service: entry.service,
    details: JSON.stringify(entry.details),
  };
}

export function auditFromItem(item: Item): AuditEntry {
  return {
    at: item.at as string,
    actor: item.actor as AuditEntry['actor'],
    action: item.action as string,
    service: (item.service ?? null) as string | null,
    details: JSON.parse(item.details as string) as AuditEntry['details'],
  };
}
