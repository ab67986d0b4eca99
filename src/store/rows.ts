/**
 * Conversions between table rows and the engine's model values. JSON columns hold
 * the model's own shapes, so they parse straight back.
 */
import type { ApprovalRequest, AuditEntry, DeployRecord, LockInfo } from '../engine/model';

export interface DeployRow {
  id: string;
  kind: string;
  service: string;
  sha: string | null;
  digest: string | null;
  image: string | null;
  from_task_definition: string | null;
  to_task_definition: string | null;
  final_task_definition: string | null;
  outcome: string;
  actor: string;
  started_at: string;
  finished_at: string | null;
  phases: string;
  result: string | null;
  owner: string;
  slack_channel: string | null;
  slack_ts: string | null;
  report_path: string | null;
  cancel_request: string | null;
  fence: number;
  changes_summary: string | null;
}

export interface LockRow {
  service: string;
  action: string;
  change_id: string;
  actor: string;
  owner: string;
  acquired_at: string;
  lease_expires_at: string | null;
  fence: number | null;
}

export interface ApprovalRow {
  id: string;
  service: string;
  action: string;
  params: string;
  requester: string;
  reason: string;
  impact: string;
  created_at: string;
  expires_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  slack_channel: string | null;
  slack_ts: string | null;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  service: string | null;
  details: string;
}

type SlackRef = { channel: string; ts: string } | null;

function slackOf(channel: string | null, ts: string | null): SlackRef {
  return channel !== null && ts !== null ? { channel, ts } : null;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function parseOrNull(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function deployFromRow(row: DeployRow): DeployRecord {
  return {
    id: row.id,
    kind: row.kind as DeployRecord['kind'],
    service: row.service,
    sha: row.sha,
    digest: row.digest,
    image: row.image,
    fromTaskDefinition: row.from_task_definition,
    toTaskDefinition: row.to_task_definition,
    finalTaskDefinition: row.final_task_definition,
    outcome: row.outcome as DeployRecord['outcome'],
    actor: JSON.parse(row.actor) as DeployRecord['actor'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    phases: JSON.parse(row.phases) as DeployRecord['phases'],
    result: parseOrNull(row.result) as DeployRecord['result'],
    owner: row.owner,
    slack: slackOf(row.slack_channel, row.slack_ts),
    reportPath: row.report_path,
    ...(row.cancel_request ? { cancelRequest: JSON.parse(row.cancel_request) as DeployRecord['cancelRequest'] } : {}),
    ...(row.fence > 0 ? { fence: row.fence } : {}),
    ...(row.changes_summary
      ? { changesSummary: JSON.parse(row.changes_summary) as DeployRecord['changesSummary'] }
      : {}),
  };
}

/**
 * The deploy columns for the fields present in `patch` (undefined means "leave as is").
 * Keys are column names, safe to interpolate; values are bound parameters.
 */
export function deployColumns(patch: Partial<DeployRecord>): Record<string, string | number | null> {
  const columns: Record<string, string | number | null> = {};
  const plain: [keyof DeployRecord, string][] = [
    ['kind', 'kind'],
    ['service', 'service'],
    ['sha', 'sha'],
    ['digest', 'digest'],
    ['image', 'image'],
    ['fromTaskDefinition', 'from_task_definition'],
    ['toTaskDefinition', 'to_task_definition'],
    ['finalTaskDefinition', 'final_task_definition'],
    ['outcome', 'outcome'],
    ['startedAt', 'started_at'],
    ['finishedAt', 'finished_at'],
    ['owner', 'owner'],
    ['reportPath', 'report_path'],
  ];
  for (const [key, column] of plain) {
    if (patch[key] !== undefined) columns[column] = patch[key] as string | null;
  }
  if (patch.actor !== undefined) columns.actor = json(patch.actor);
  if (patch.phases !== undefined) columns.phases = json(patch.phases);
  if (patch.result !== undefined) columns.result = patch.result === null ? null : json(patch.result);
  if (patch.cancelRequest !== undefined) columns.cancel_request = json(patch.cancelRequest);
  if (patch.fence !== undefined) columns.fence = patch.fence;
  if (patch.changesSummary !== undefined)
    columns.changes_summary = patch.changesSummary === null ? null : json(patch.changesSummary);
  if (patch.slack !== undefined) {
    columns.slack_channel = patch.slack?.channel ?? null;
    columns.slack_ts = patch.slack?.ts ?? null;
  }
  return columns;
}

export function lockFromRow(row: LockRow): LockInfo {
  return {
    service: row.service,
    action: row.action as LockInfo['action'],
    changeId: row.change_id,
    actor: JSON.parse(row.actor) as LockInfo['actor'],
    owner: row.owner,
    acquiredAt: row.acquired_at,
    ...(row.lease_expires_at ? { leaseExpiresAt: row.lease_expires_at } : {}),
    ...(row.fence !== null ? { fence: row.fence } : {}),
  };
}

export function lockToRow(lock: LockInfo): LockRow {
  return {
    service: lock.service,
    action: lock.action,
    change_id: lock.changeId,
    actor: json(lock.actor),
    owner: lock.owner,
    acquired_at: lock.acquiredAt,
    lease_expires_at: lock.leaseExpiresAt ?? null,
    fence: lock.fence ?? null,
  };
}

export function approvalFromRow(row: ApprovalRow): ApprovalRequest {
  return {
    id: row.id,
    service: row.service,
    action: row.action as ApprovalRequest['action'],
    params: JSON.parse(row.params) as ApprovalRequest['params'],
    requester: JSON.parse(row.requester) as ApprovalRequest['requester'],
    reason: row.reason,
    impact: row.impact,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status: row.status as ApprovalRequest['status'],
    decidedBy: parseOrNull(row.decided_by) as ApprovalRequest['decidedBy'],
    decidedAt: row.decided_at,
    slack: slackOf(row.slack_channel, row.slack_ts),
  };
}

export function approvalToRow(request: ApprovalRequest): ApprovalRow {
  return {
    id: request.id,
    service: request.service,
    action: request.action,
    params: json(request.params),
    requester: json(request.requester),
    reason: request.reason,
    impact: request.impact,
    created_at: request.createdAt,
    expires_at: request.expiresAt,
    status: request.status,
    decided_by: request.decidedBy === null ? null : json(request.decidedBy),
    decided_at: request.decidedAt,
    slack_channel: request.slack?.channel ?? null,
    slack_ts: request.slack?.ts ?? null,
  };
}

export function auditFromRow(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: JSON.parse(row.actor) as AuditEntry['actor'],
    action: row.action,
    service: row.service,
    details: JSON.parse(row.details) as AuditEntry['details'],
  };
}
