/**
 * Delivery metrics over a year of history for 20 services: the time `engine.deliveryMetrics` takes
 * (the store's indexed window read plus the computation), for all services and for one, on SQLite
 * and on a local DynamoDB-compatible server (dynalite, in this process). The target: under a second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { computeDeliveryMetrics, metricsWindow } from '../../src/engine/metrics';
import type { StorePort } from '../../src/engine/store-port';
import { historyRecord, seededHistory, type HistoryEntry } from '../../src/sim/history-seed';
import { DynamoStore } from '../../src/store/dynamo-store';
import { deployToItem } from '../../src/store/dynamo-items';
import { SqliteStore } from '../../src/store/sqlite-store';
import { startLocalDynamo, type LocalDynamo } from '../../test/store/local-dynamo';
import { median, round } from './stats';

export const METRICS_SERVICES = 20;
export const METRICS_WEEKS = 52;
/** A query this slow or slower misses the target. */
export const METRICS_TARGET_MS = 1000;

export interface MetricsTiming {
  /** Median and slowest of the timed rounds, in milliseconds. */
  allMedianMs: number;
  allMaxMs: number;
  oneMedianMs: number;
}

export interface MetricsSpeedRun {
  services: number;
  weeks: number;
  changes: number;
  rounds: number;
  sqlite: MetricsTiming;
  dynamodb: MetricsTiming;
  withinTarget: boolean;
}

/** One read of the window and the computation, as the engine does it; milliseconds. */
async function once(store: StorePort, services: string[] | undefined, now: number): Promise<number> {
  const start = performance.now();
  const changes = await store.changesBetween({
    ...metricsWindow(METRICS_WEEKS, now),
    ...(services ? { services } : {}),
  });
  computeDeliveryMetrics(changes, { service: null, services: services ?? [], weeks: METRICS_WEEKS, now });
  return performance.now() - start;
}

async function timeStore(store: StorePort, service: string, now: number, rounds: number): Promise<MetricsTiming> {
  await once(store, undefined, now); // warm-up, not counted
  const all: number[] = [];
  const one: number[] = [];
  for (let i = 0; i < rounds; i++) {
    all.push(await once(store, undefined, now));
    one.push(await once(store, [service], now));
  }
  return { allMedianMs: round(median(all)), allMaxMs: round(Math.max(...all)), oneMedianMs: round(median(one)) };
}

/** Writes the history 25 items a request, a few requests at a time (seeding is not what is measured). */
async function seedDynamo(local: LocalDynamo, table: string, entries: HistoryEntry[]): Promise<void> {
  const raw = local.client();
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const batches: HistoryEntry[][] = [];
  for (let i = 0; i < entries.length; i += 25) batches.push(entries.slice(i, i + 25));
  const write = async (batch: HistoryEntry[]) => {
    let items: Record<string, unknown>[] = batch.map((e) => deployToItem(historyRecord(e)));
    while (items.length) {
      const out = await doc.send(
        new BatchWriteCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }),
      );
      items = (out.UnprocessedItems?.[table] ?? []).map((r) => r.PutRequest?.Item ?? {});
    }
  };
  for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(write));
  raw.destroy();
}

export async function measureMetricsSpeed(rounds = 5): Promise<MetricsSpeedRun> {
  const now = Date.now();
  const services = Array.from({ length: METRICS_SERVICES }, (_, i) => `service-${String(i + 1).padStart(2, '0')}`);
  const history = seededHistory({ services, weeks: METRICS_WEEKS, now });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-bench-metrics-'));
  const local = await startLocalDynamo();
  const sqlite = new SqliteStore(join(dir, 'metrics.db'));
  const dynamo = new DynamoStore({ table: 'bench-metrics', client: local.client() });
  try {
    const insert = sqlite.insertDeploy.bind(sqlite);
    for (const e of history) await insert(historyRecord(e));
    await local.createTable('bench-metrics');
    await seedDynamo(local, 'bench-metrics', history);
    const sqliteTiming = await timeStore(sqlite, services[0], now, rounds);
    const dynamoTiming = await timeStore(dynamo, services[0], now, rounds);
    return {
      services: services.length,
      weeks: METRICS_WEEKS,
      changes: history.length,
      rounds,
      sqlite: sqliteTiming,
      dynamodb: dynamoTiming,
      withinTarget: Math.max(sqliteTiming.allMedianMs, dynamoTiming.allMedianMs) < METRICS_TARGET_MS,
    };
  } finally {
    await sqlite.close();
    await dynamo.close();
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The markdown section of bench/results/latest.md. */
export function renderMetricsSpeed(r: MetricsSpeedRun): string {
  return [
    '## Delivery metrics over a year of history',
    '',
    `${r.changes} changes of ${r.services} services over ${r.weeks} weeks; the store's window read plus the computation, median of ${r.rounds} rounds (target: under ${METRICS_TARGET_MS} ms).`,
    '',
    '| store | all services, median | all services, slowest | one service, median |',
    '| --- | --- | --- | --- |',
    `| SQLite | ${r.sqlite.allMedianMs} ms | ${r.sqlite.allMaxMs} ms | ${r.sqlite.oneMedianMs} ms |`,
    `| DynamoDB (dynalite) | ${r.dynamodb.allMedianMs} ms | ${r.dynamodb.allMaxMs} ms | ${r.dynamodb.oneMedianMs} ms |`,
    '',
    r.withinTarget ? 'Within the target.' : '**Missed the target.**',
    '',
  ].join('\n');
}

/** `node dist-bench/bench/src/metrics-speed.js`: this section alone. */
if (require.main === module) {
  measureMetricsSpeed()
    .then((r) => process.stdout.write(`${renderMetricsSpeed(r)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
