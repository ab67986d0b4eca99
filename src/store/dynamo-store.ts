/**
 * The shared store on one DynamoDB table, for bot replicas and CI deploying the same
 * services. Locks and approval decisions are conditional writes; the audit log is written
 * with conditional puts only; lists are Queries on two indexes (see dynamo-keys.ts).
 * Reads of one item are strongly consistent; lists read indexes, which trail writes briefly.
 */
import { randomBytes } from 'node:crypto';
import type { ApprovalRequest, ApprovalStatus, AuditEntry, DeployRecord, LockInfo } from '../engine/model';
import type {
  ApprovalDecision,
  DeployFilter,
  FenceGuard,
  LockResult,
  PromoteDecision,
  PromoteRequest,
  StorePort,
} from '../engine/store-port';
import { dynamoChangesBetween, type ChangeOutline, type ChangeWindow } from './history-window';
import type { Actor } from '../engine/types';
import { CodedError, ErrorCodes } from '../errors';
import type { AdHocFreeze } from '../engine/freeze/model';
import * as approvals from './dynamo-approvals';
import * as fenced from './dynamo-fenced';
import * as promotions from './dynamo-promotions';
import * as freezes from './dynamo-freezes';
import { GSI1, GSI2, keys, partitions } from './dynamo-keys';
import { auditFromItem, auditToItem, deployFromItem, deployToItem } from './dynamo-items';
import * as locks from './dynamo-locks';
import { AUDIT_LIMIT, clampLimit, DEPLOY_LIMIT } from './limits';
import * as reports from './dynamo-reports';
import { DynamoTable, type DynamoTableOptions, type Item } from './dynamo-table';

export type DynamoStoreOptions = DynamoTableOptions;

/** Newest first by start time, then by id (what the index sort keys hold). */
const newestFirst = (a: DeployRecord, b: DeployRecord) =>
  b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id);

let auditSequence = 0;
/** Unique, and increasing within a process, so entries with the same time keep their order. */
function auditKey(): string {
  auditSequence = (auditSequence + 1) % 36 ** 4;
  return `${Date.now().toString(36).padStart(9, '0')}${auditSequence.toString(36).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
}

export class DynamoStore implements StorePort {
  readonly describe: string;
  private readonly table: DynamoTable;

  constructor(options: DynamoStoreOptions) {
    this.table = new DynamoTable(options);
    this.describe = `dynamodb:${options.table}`;
  }

  // ---------- deploys ----------

  /** @throws CodedError `store_error` when a deploy with that id exists already. */
  async insertDeploy(record: DeployRecord): Promise<void> {
    const written = await this.table.put('recording a deploy', deployToItem(record), {
      expression: 'attribute_not_exists(pk)',
    });
    if (written === null)
      throw new CodedError(ErrorCodes.storeError, `store: a deploy with id ${record.id} already exists`);
  }

  /** @throws CodedError `store_error` when no deploy has that id, `stale_fence` when `guard` no longer holds. */
  updateDeploy(id: string, patch: Partial<Omit<DeployRecord, 'id'>>, guard?: FenceGuard): Promise<void> {
    return fenced.updateDeploy(this.table, id, patch, guard);
  }

  async getDeploy(id: string): Promise<DeployRecord | undefined> {
    const item = await this.table.get('reading a deploy', keys.deploy(id));
    return item && deployFromItem(item);
  }

  async listDeploys(filter: DeployFilter): Promise<DeployRecord[]> {
    const limit = clampLimit(filter.limit, DEPLOY_LIMIT);
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const field of ['kind', 'outcome'] as const) {
      if (filter[field] === undefined) continue;
      conditions.push(`#${field} = :${field}`);
      names[`#${field}`] = field;
      values[`:${field}`] = filter[field];
    }
    const filterInput =
      conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names };
    const query = (index: string, partition: string) =>
      this.table.query(
        'listing deploys',
        {
          IndexName: index,
          KeyConditionExpression: `${index}pk = :p`,
          ExpressionAttributeValues: { ':p': partition, ...values },
          ScanIndexForward: false,
          ...filterInput,
        },
        limit,
      );
    let lists: Item[][];
    if (filter.service !== undefined || filter.services !== undefined) {
      const services = filter.service !== undefined ? [filter.service] : [...new Set(filter.services)];
      lists = await Promise.all(services.map((s) => query(GSI1, partitions.deploysOfService(s))));
    } else {
      const states = filter.outcome === undefined ? [true, false] : [filter.outcome === 'running'];
      lists = await Promise.all(states.map((running) => query(GSI2, partitions.deploys(running))));
    }
    return lists.flat().map(deployFromItem).sort(newestFirst).slice(0, limit);
  }

  changesBetween(window: ChangeWindow): Promise<ChangeOutline[]> {
    return dynamoChangesBetween(this.table, window);
  }

  /** Oldest first. */
  async runningDeploys(): Promise<DeployRecord[]> {
    const items = await this.table.query('listing running deploys', {
      IndexName: GSI2,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': partitions.deploys(true) },
    });
    return items.map(deployFromItem);
  }

  // ---------- locks (leases) ----------

  acquireLock(lock: LockInfo & { leaseExpiresAt: string }, now: Date): Promise<LockResult> {
    return locks.acquireLock(this.table, lock, now);
  }

  renewLease(service: string, changeId: string, owner: string, leaseExpiresAt: string): Promise<boolean> {
    return locks.renewLease(this.table, service, changeId, owner, leaseExpiresAt);
  }

  releaseLock(service: string, changeId: string, fence?: number): Promise<boolean> {
    return locks.releaseLock(this.table, service, changeId, fence);
  }

  getLock(service: string): Promise<LockInfo | undefined> {
    return locks.getLock(this.table, service);
  }

  listLocks(): Promise<LockInfo[]> {
    return locks.listLocks(this.table);
  }

  breakLock(service: string): Promise<LockInfo | undefined> {
    return locks.breakLock(this.table, service);
  }

  // ---------- approvals ----------

  insertApproval(request: ApprovalRequest): Promise<void> {
    return approvals.insertApproval(this.table, request);
  }

  getApproval(id: string): Promise<ApprovalRequest | undefined> {
    return approvals.getApproval(this.table, id);
  }

  listApprovals(filter: { service?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]> {
    return approvals.listApprovals(this.table, filter);
  }

  decideApproval(
    id: string,
    decision: 'approved' | 'denied' | 'used' | 'expired',
    by: Actor,
    now: Date,
  ): Promise<ApprovalDecision> {
    return approvals.decideApproval(this.table, id, decision, by, now);
  }

  setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void> {
    return approvals.setApprovalSlack(this.table, id, slack);
  }

  // ---------- two-person answers to a pause (dynamo-promotions.ts) ----------

  insertPromoteRequest(request: PromoteRequest): Promise<boolean> {
    return promotions.insertPromoteRequest(this.table, request);
  }

  getPromoteRequest(id: string): Promise<PromoteRequest | undefined> {
    return promotions.getPromoteRequest(this.table, id);
  }

  completePromoteRequest(id: string, by: Actor, now: Date): Promise<PromoteDecision> {
    return promotions.completePromoteRequest(this.table, id, by, now);
  }

  // ---------- kept counts ----------

  async setKeptCount(service: string, count: number): Promise<void> {
    await this.table.put('keeping a desired count', {
      ...keys.keptCount(service),
      service,
      count,
      updatedAt: new Date().toISOString(),
    });
  }

  async getKeptCount(service: string): Promise<number | undefined> {
    const item = await this.table.get('reading a kept count', keys.keptCount(service));
    return item === undefined ? undefined : Number(item.count);
  }

  async clearKeptCount(service: string): Promise<void> {
    await this.table.delete('clearing a kept count', keys.keptCount(service));
  }

  // ---------- ad-hoc freezes (dynamo-freezes.ts) ----------

  putFreeze = (freeze: AdHocFreeze): Promise<void> => freezes.putFreeze(this.table, freeze);
  getFreezes = (scopes: string[]): Promise<AdHocFreeze[]> => freezes.getFreezes(this.table, scopes);
  listFreezes = (): Promise<AdHocFreeze[]> => freezes.listFreezes(this.table);
  deleteFreeze = (scope: string): Promise<AdHocFreeze | undefined> => freezes.deleteFreeze(this.table, scope);

  // ---------- audit (append-only: conditional puts of new items, never an update or delete) ----------

  async appendAudit(entry: AuditEntry): Promise<void> {
    const written = await this.table.put('appending to the audit log', auditToItem(entry, auditKey()), {
      expression: 'attribute_not_exists(pk)',
    });
    if (written === null)
      throw new CodedError(
        ErrorCodes.storeError,
        'store: an audit entry with that key exists already: append it again',
      );
  }

  /** Newest first. */
  async listAudit(filter: { service?: string; limit?: number }): Promise<AuditEntry[]> {
    const [index, partition] =
      filter.service === undefined ? [GSI2, partitions.audit] : [GSI1, partitions.auditOfService(filter.service)];
    const items = await this.table.query(
      'reading the audit log',
      {
        IndexName: index,
        KeyConditionExpression: `${index}pk = :p`,
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
      },
      clampLimit(filter.limit, AUDIT_LIMIT),
    );
    return items.map(auditFromItem);
  }

  // ---------- reports ----------

  async saveReport(deployId: string, markdown: string, fence?: number): Promise<void> {
    if (fence !== undefined) await fenced.assertFence(this.table, deployId, fence);
    await reports.saveReport(this.table, deployId, markdown, fence);
  }

  getReport(deployId: string): Promise<string | undefined> {
    return reports.getReport(this.table, deployId);
  }

  // ---------- health ----------

  /** @throws CodedError `store_error` when the table does not answer or is not ACTIVE. */
  async ping(): Promise<void> {
    const table = await this.table.describe();
    if (table.TableStatus !== 'ACTIVE') {
      throw new CodedError(
        ErrorCodes.storeError,
        `store: DynamoDB table ${this.table.ref.table} is ${table.TableStatus ?? 'in an unknown state'}, not ACTIVE: wait for it, then try again`,
      );
    }
  }

  /** Idempotent. */
  close(): Promise<void> {
    this.table.close();
    return Promise.resolve();
  }
}
