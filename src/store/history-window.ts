/**
 * `changesBetween` on both stores: the outlines of the changes that started within a time window,
 * read through the time indexes. SQLite: the `started_at` and `(service, started_at)` indexes.
 * DynamoDB: the by-type GSI (`DEPLOYS#finished|running`) for all services, the by-service GSI
 * otherwise, each a key range on `<startedAt>#<id>`, with only the outline's attributes projected.
 */
import { byStart } from '../engine/metrics';
import type { ChangeOutline, ChangeWindow } from '../engine/store-port';

export type { ChangeOutline, ChangeWindow };
import { GSI1, GSI2, partitions } from './dynamo-keys';
import type { DynamoTable, Item } from './dynamo-table';
import type { SqliteDb } from './sqlite-db';

interface OutlineRow {
  id: string;
  kind: string;
  service: string;
  outcome: string;
  started_at: string;
  finished_at: string | null;
  changes_summary: string | null;
}

/** SQLite: one indexed range query, oldest first. */
export function sqliteChangesBetween(conn: SqliteDb, window: ChangeWindow): ChangeOutline[] {
  const params: Record<string, string> = { from: window.from, to: window.to };
  let only = '';
  if (window.services) {
    if (!window.services.length) return [];
    only = `AND service IN (${window.services.map((_, i) => `@s${i}`).join(', ')})`;
    window.services.forEach((name, i) => (params[`s${i}`] = name));
  }
  const sql = `SELECT id, kind, service, outcome, started_at, finished_at, changes_summary FROM deploys
    WHERE started_at >= @from AND started_at < @to ${only} ORDER BY started_at, id`;
  return (conn.stmt(sql).all(params) as OutlineRow[]).map((row) => ({
    id: row.id,
    kind: row.kind as ChangeOutline['kind'],
    service: row.service,
    outcome: row.outcome as ChangeOutline['outcome'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    changesSummary: row.changes_summary ? (JSON.parse(row.changes_summary) as ChangeOutline['changesSummary']) : null,
  }));
}

const OUTLINE_ATTRIBUTES = ['id', 'kind', 'service', 'outcome', 'startedAt', 'finishedAt', 'changesSummary'];

/** DynamoDB: key-range queries on the indexes (one per partition, in parallel), oldest first. */
export async function dynamoChangesBetween(table: DynamoTable, window: ChangeWindow): Promise<ChangeOutline[]> {
  const range = (index: string, partition: string) =>
    table.query('reading the history', {
      IndexName: index,
      KeyConditionExpression: `${index}pk = :p AND ${index}sk BETWEEN :from AND :to`,
      ExpressionAttributeValues: { ':p': partition, ':from': window.from, ':to': window.to },
      ProjectionExpression: OUTLINE_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(OUTLINE_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
    });
  const queries = window.services
    ? [...new Set(window.services)].map((s) => range(GSI1, partitions.deploysOfService(s)))
    : [true, false].map((running) => range(GSI2, partitions.deploys(running)));
  return (await Promise.all(queries)).flat().map(outlineFromItem).sort(byStart);
}

function outlineFromItem(item: Item): ChangeOutline {
  return {
    id: String(item.id),
    kind: item.kind as ChangeOutline['kind'],
    service: String(item.service),
    outcome: item.outcome as ChangeOutline['outcome'],
    startedAt: String(item.startedAt),
    finishedAt: typeof item.finishedAt === 'string' ? item.finishedAt : null,
    changesSummary: (item.changesSummary as ChangeOutline['changesSummary'] | undefined) ?? null,
  };
}
