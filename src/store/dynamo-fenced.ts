/**
 * The writes of a running change on DynamoDB that are fenced: a conditional update on the
 * record's fencing token, so a process that lost the change writes nothing.
 */
import type { DeployRecord } from '../engine/model';
import type { FenceGuard } from '../engine/store-port';
import { CodedError, ErrorCodes } from '../errors';
import { keys, partitions } from './dynamo-keys';
import { deployFromItem, deployIndexKeys, deployPatchAttributes } from './dynamo-items';
import type { DynamoTable, Item } from './dynamo-table';

/** The refusal of a write whose fencing token moved on (another process took the change over). */
export function staleFence(id: string, current: Pick<DeployRecord, 'fence' | 'outcome'>): CodedError {
  const fence = current.fence ?? 0;
  return new CodedError(
    ErrorCodes.staleFence,
    `store: change ${id} is now at fencing token ${fence} (${current.outcome}); this process no longer owns it`,
    { details: { changeId: id, fence } },
  );
}

/**
 * The condition "the item's token is :fence". Token 0 is also an item without one: a record or
 * lock written before fencing (by an earlier version, or a replica not yet upgraded) reads as 0.
 */
export function fenceIs(fence: number): string {
  return fence === 0 ? '(attribute_not_exists(#fence) OR #fence = :fence)' : '#fence = :fence';
}

async function readDeploy(table: DynamoTable, id: string): Promise<DeployRecord | undefined> {
  const item = await table.get('reading a deploy', keys.deploy(id));
  return item && deployFromItem(item);
}

/** @throws CodedError `store_error` when no deploy has that id, `stale_fence` when its token is not `fence`. */
export async function assertFence(table: DynamoTable, id: string, fence: number): Promise<void> {
  const current = await readDeploy(table, id);
  if (!current) throw new CodedError(ErrorCodes.storeError, `store: no deploy with id ${id}`);
  if ((current.fence ?? 0) !== fence) throw staleFence(id, current);
}

/** @throws CodedError `store_error` when no deploy has that id, `stale_fence` when `guard` no longer holds. */
export async function updateDeploy(
  table: DynamoTable,
  id: string,
  patch: Partial<Omit<DeployRecord, 'id'>>,
  guard?: FenceGuard,
): Promise<void> {
  const attributes = deployPatchAttributes(patch);
  if (Object.keys(attributes).length === 0) {
    if (guard) await assertFence(table, id, guard.fence);
    return;
  }
  let indexKeys: Item = {};
  if (patch.service !== undefined || patch.startedAt !== undefined) {
    const current = await readDeploy(table, id);
    if (current) indexKeys = deployIndexKeys({ ...current, ...patch, id });
  } else if (patch.outcome !== undefined) {
    indexKeys = { gsi2pk: partitions.deploys(patch.outcome === 'running') };
  }
  const condition = guard
    ? {
        expression: `attribute_exists(pk) AND ${fenceIs(guard.fence)}${guard.running ? ' AND #outcome = :running' : ''}`,
        names: { '#fence': 'fence', ...(guard.running ? { '#outcome': 'outcome' } : {}) },
        values: { ':fence': guard.fence, ...(guard.running ? { ':running': 'running' } : {}) },
      }
    : { expression: 'attribute_exists(pk)' };
  const updated = await table.update('updating a deploy', keys.deploy(id), { ...attributes, ...indexKeys }, condition);
  if (updated !== null) return;
  const current = await readDeploy(table, id);
  if (!current) throw new CodedError(ErrorCodes.storeError, `store: no deploy with id ${id}`);
  throw staleFence(id, current);
}
