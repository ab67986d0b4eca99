/**
 * Ad-hoc freezes on DynamoDB: one item per scope (`FREEZE#<scope>`), replaced when set again.
 * The deploy guard reads its two scopes by key, strongly consistent, so a freeze set on one
 * replica refuses the next deploy on any other at once; listings read the `FREEZES` index.
 */
import type { AdHocFreeze } from '../engine/freeze/model';
import type { Actor } from '../engine/types';
import { GSI2, keys, partitions, TTL_ATTRIBUTE } from './dynamo-keys';
import type { DynamoTable, Item } from './dynamo-table';

/** DynamoDB's TTL removes a freeze this long after it lifted. */
const FREEZE_RETENTION_S = 7 * 24 * 3600;

function freezeToItem(freeze: AdHocFreeze): Item {
  return {
    ...keys.freeze(freeze.scope),
    gsi2pk: partitions.freezes,
    gsi2sk: freeze.scope,
    scope: freeze.scope,
    reason: freeze.reason,
    setBy: freeze.setBy,
    setAt: freeze.setAt,
    until: freeze.until,
    [TTL_ATTRIBUTE]: Math.floor(Date.parse(freeze.until) / 1000) + FREEZE_RETENTION_S,
  };
}

function freezeFromItem(item: Item): AdHocFreeze {
  return {
    scope: String(item.scope),
    reason: String(item.reason),
    setBy: item.setBy as Actor,
    setAt: String(item.setAt),
    until: String(item.until),
  };
}

export async function putFreeze(table: DynamoTable, freeze: AdHocFreeze): Promise<void> {
  await table.put('setting a freeze', freezeToItem(freeze));
}

export async function getFreezes(table: DynamoTable, scopes: string[]): Promise<AdHocFreeze[]> {
  const items = await Promise.all([...new Set(scopes)].map((s) => table.get('reading a freeze', keys.freeze(s))));
  return items.filter((item): item is Item => item !== undefined).map(freezeFromItem);
}

/** By scope. */
export async function listFreezes(table: DynamoTable): Promise<AdHocFreeze[]> {
  const items = await table.query('listing freezes', {
    IndexName: GSI2,
    KeyConditionExpression: 'gsi2pk = :p',
    ExpressionAttributeValues: { ':p': partitions.freezes },
  });
  return items.map(freezeFromItem);
}

export async function deleteFreeze(table: DynamoTable, scope: string): Promise<AdHocFreeze | undefined> {
  const removed = await table.delete('clearing a freeze', keys.freeze(scope));
  return removed ? freezeFromItem(removed) : undefined;
}
