/**
 * The shared DynamoDB store against a local DynamoDB-compatible server (dynalite, in this process):
 * lock acquire + release latency beside SQLite's; two replicas (two engines, each with its own SDK
 * client) making 20 concurrent deploy attempts each on one service, counting rounds with more than
 * one change running; and the wall time one simulated deploy spends inside the store, per store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorePort } from '../../src/engine/store-port';
import { startSimWorld, type SimWorld } from '../../src/sim/index';
import { DynamoStore } from '../../src/store/dynamo-store';
import { SqliteStore } from '../../src/store/sqlite-store';
import { startLocalDynamo, type LocalDynamo } from '../../test/store/local-dynamo';
import { BENCH_ACTOR, engineOn } from './engine-rig';
import { measureLockLatency, type LockLatency } from './store-latency';

export interface SharedStoreRun {
  lock: { dynamodb: LockLatency; sqlite: LockLatency };
  race: { rounds: number; attemptsPerRound: number; doubleHolders: number; refusedPerRound: number };
  /** Milliseconds one deploy spent inside store calls, and how many calls it made. */
  deploy: { dynamodbStoreMs: number; sqliteStoreMs: number; extraMs: number; storeCalls: number; deployMs: number };
}

/** Wraps a store so that the time spent in its calls adds up in `spent.ms`. */
function timed(store: StorePort): { store: StorePort; spent: { ms: number; calls: number } } {
  const spent = { ms: 0, calls: 0 };
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          spent.ms += performance.now() - start;
          spent.calls += 1;
        }
      };
    },
  });
  return { store: proxy, spent };
}

/** The same deploy through the engine on `store`: the time spent in the store, its calls, the whole deploy. */
async function deployThrough(
  world: SimWorld,
  store: StorePort,
  tag: string,
): Promise<{ storeMs: number; calls: number; deployMs: number }> {
  const t = timed(store);
  const { engine, close } = engineOn(world, t.store, 'bench-deployer');
  const start = performance.now();
  const result = await engine.deploy({ service: 'backend', sha: tag, actor: BENCH_ACTOR });
  const deployMs = performance.now() - start;
  close();
  if (result.outcome !== 'succeeded')
    throw new Error(`bench deploy through ${store.describe}: ${result.outcome} (${result.summary})`);
  return { storeMs: t.spent.ms, calls: t.spent.calls, deployMs };
}

/** Two engines, `attempts` concurrent deploys each, `rounds` times: how many rounds had more than one change running. */
async function race(
  world: SimWorld,
  local: LocalDynamo,
  table: string,
  rounds: number,
  attempts: number,
): Promise<SharedStoreRun['race']> {
  const clients = [local.client(), local.client()];
  const replicas = clients.map((client, i) => engineOn(world, new DynamoStore({ table, client }), `replica-${i}`));
  let doubleHolders = 0;
  let refused = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const tag = world.images[1 + (round % 2)].tag;
      const all = replicas.flatMap((r) =>
        Array.from({ length: attempts }, () => r.engine.deploy({ service: 'backend', sha: tag, actor: BENCH_ACTOR })),
      );
      const results = await Promise.all(all);
      const ran = results.filter((r) => r.outcome !== 'refused').length;
      if (ran !== 1) doubleHolders += 1;
      refused += results.length - ran;
    }
  } finally {
    replicas.forEach((r) => r.close());
    clients.forEach((c) => c.destroy());
  }
  return { rounds, attemptsPerRound: attempts * replicas.length, doubleHolders, refusedPerRound: refused / rounds };
}

/** One run of every shared-store measure, on fresh tables and a fresh simulated world. */
export async function measureSharedStore(
  run: number,
  { raceRounds = 5, lockRounds = 200, attempts = 20 } = {},
): Promise<SharedStoreRun> {
  const local = await startLocalDynamo();
  const world = await startSimWorld({ paceMs: 20 });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-bench-store-'));
  const client = local.client();
  const sqlite = new SqliteStore(join(dir, 'bench.db'));
  try {
    await Promise.all(['lock', 'race', 'deploy'].map((t) => local.createTable(`${t}-${run}`)));
    const dynamo = new DynamoStore({ table: `lock-${run}`, client });
    const lock = {
      dynamodb: await measureLockLatency(dynamo, lockRounds),
      sqlite: await measureLockLatency(sqlite, lockRounds),
    };
    const onDynamo = await deployThrough(
      world,
      new DynamoStore({ table: `deploy-${run}`, client }),
      world.images[1].tag,
    );
    const onSqlite = await deployThrough(world, sqlite, world.images[2].tag);
    const raced = await race(world, local, `race-${run}`, raceRounds, attempts);
    return {
      lock,
      race: raced,
      deploy: {
        dynamodbStoreMs: Math.round(onDynamo.storeMs),
        sqliteStoreMs: Math.round(onSqlite.storeMs),
        extraMs: Math.round(onDynamo.storeMs - onSqlite.storeMs),
        storeCalls: onDynamo.calls,
        deployMs: Math.round(onDynamo.deployMs),
      },
    };
  } finally {
    await sqlite.close();
    client.destroy();
    await world.close();
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
