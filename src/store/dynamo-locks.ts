/**
 * Service locks on DynamoDB, each held under a lease. Every change of holder is one
 * conditional write, so of racing processes exactly one wins, and a takeover happens once.
 */
import { CodedError, ErrorCodes } from '../errors';
import type { LockInfo } from '../engine/model';
import type { LockResult } from '../engine/store-port';
import { GSI2, keys, partitions } from './dynamo-keys';
import { lockFromItem, lockToItem } from './dynamo-items';
import { sameHolder } from './lease-rule';
import { fenceIs } from './dynamo-fenced';
import type { DynamoTable } from './dynamo-table';

/** A refused acquire reads the holder; if it left meanwhile, the acquire is tried again (bounded). */
const ACQUIRE_ATTEMPTS = 5;

const HOLDER = { '#owner': 'owner', '#changeId': 'changeId' };

export async function acquireLock(
  table: DynamoTable,
  lock: LockInfo & { leaseExpiresAt: string },
  now: Date,
): Promise<LockResult> {
  const values = { ':now': now.toISOString(), ':c': lock.changeId, ':o': lock.owner };
  const condition = {
    expression: 'attribute_not_exists(pk) OR leaseExpiresAt < :now OR (#changeId = :c AND #owner = :o)',
    names: HOLDER,
    values,
  };
  for (let attempt = 1; ; attempt++) {
    const old = await table.put('taking a lock', lockToItem(lock), condition);
    if (old === undefined) return { ok: true };
    if (old !== null) {
      const previous = lockFromItem(old);
      return sameHolder(previous, lock) ? { ok: true } : { ok: true, tookOverFrom: previous };
    }
    const holder = await getLock(table, lock.service);
    if (holder) return { ok: false, holder };
    if (attempt >= ACQUIRE_ATTEMPTS) {
      throw new CodedError(
        ErrorCodes.storeError,
        `store: the lock on ${lock.service} changed hands ${attempt} times while taking it: try again`,
      );
    }
  }
}

export async function renewLease(
  table: DynamoTable,
  service: string,
  changeId: string,
  owner: string,
  leaseExpiresAt: string,
): Promise<boolean> {
  const renewed = await table.update(
    'renewing a lease',
    keys.lock(service),
    { leaseExpiresAt },
    {
      expression: '#changeId = :c AND #owner = :o',
      names: HOLDER,
      values: { ':c': changeId, ':o': owner },
    },
  );
  return renewed !== null;
}

/** Only while `changeId` holds the lock, and with `fence`, under that fencing token. */
export async function releaseLock(
  table: DynamoTable,
  service: string,
  changeId: string,
  fence?: number,
): Promise<boolean> {
  const removed = await table.delete(
    'releasing a lock',
    keys.lock(service),
    fence === undefined
      ? { expression: '#changeId = :c', names: { '#changeId': 'changeId' }, values: { ':c': changeId } }
      : {
          expression: `#changeId = :c AND ${fenceIs(fence)}`,
          names: { '#changeId': 'changeId', '#fence': 'fence' },
          values: { ':c': changeId, ':fence': fence },
        },
  );
  return removed !== null && removed !== undefined;
}

export async function getLock(table: DynamoTable, service: string): Promise<LockInfo | undefined> {
  const item = await table.get('reading a lock', keys.lock(service));
  return item && lockFromItem(item);
}

/** By service name. */
export async function listLocks(table: DynamoTable): Promise<LockInfo[]> {
  const items = await table.query('listing locks', {
    IndexName: GSI2,
    KeyConditionExpression: 'gsi2pk = :p',
    ExpressionAttributeValues: { ':p': partitions.locks },
  });
  return items.map(lockFromItem);
}

export async function breakLock(table: DynamoTable, service: string): Promise<LockInfo | undefined> {
  const removed = await table.delete('breaking a lock', keys.lock(service));
  return removed ? lockFromItem(removed) : undefined;
}
