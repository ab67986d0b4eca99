/**
 * A made-up but plausible history of changes, so `stats` has something to show on the simulator
 * (`npm run demo -- --scenario stats`) and the benchmark has a year of it: deploys on working
 * days, now and then one that fails and rolls back, or one rolled back by hand a few hours
 * later, with the age of their oldest commit. Deterministic for a given seed.
 */
import type { ChangeKind, DeployRecord, Outcome } from '../engine/model';
import type { StorePort } from '../engine/store-port';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface HistoryEntry {
  id: string;
  kind: ChangeKind;
  service: string;
  outcome: Outcome;
  startedAt: string;
  finishedAt: string | null;
  /** When the deploy's oldest new commit was written; left out when its changes are unknown. */
  oldestCommitAt?: string | null;
}

/** A whole deploy record around the fields delivery metrics read. */
export function historyRecord(e: HistoryEntry): DeployRecord {
  const sha = e.id
    .replace(/[^0-9a-f]/g, '')
    .padEnd(7, '0')
    .slice(0, 7);
  return {
    id: e.id,
    kind: e.kind,
    service: e.service,
    sha: e.kind === 'deploy' ? sha : null,
    digest: null,
    image: null,
    fromTaskDefinition: null,
    toTaskDefinition: null,
    finalTaskDefinition: null,
    outcome: e.outcome,
    actor: { id: 'cli:seed', name: 'seed', via: 'cli' },
    startedAt: e.startedAt,
    finishedAt: e.finishedAt,
    phases: [],
    result: null,
    owner: 'history-seed',
    slack: null,
    reportPath: null,
    changesSummary:
      e.oldestCommitAt === undefined
        ? null
        : {
            status: 'ahead',
            baseSha: null,
            headSha: sha,
            aheadBy: 3,
            behindBy: 0,
            totalCommits: 3,
            oldestCommitAt: e.oldestCommitAt,
          },
  };
}

export interface SeedOptions {
  services: string[];
  weeks: number;
  /** The end of the history (epoch ms). */
  now: number;
  /** Deploys per working day and service, on average (default 1.5). */
  perDay?: number;
  seed?: number;
}

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The history, oldest first. */
export function seededHistory(options: SeedOptions): HistoryEntry[] {
  const rand = random(options.seed ?? 42);
  const perDay = options.perDay ?? 1.5;
  const out: HistoryEntry[] = [];
  const start = options.now - options.weeks * 7 * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const [s, service] of options.services.entries()) {
    for (let day = start; day + DAY <= options.now; day += DAY) {
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      const count = Math.floor(perDay * 2 * rand());
      for (let i = 0; i < count; i++) {
        const begin = day + (9 + i * 3 + rand() * 2) * HOUR;
        const id = `h${s.toString(36)}${(begin / 1000).toString(36)}`;
        const roll = rand();
        const outcome: Outcome = roll < 0.06 ? 'rolled_back' : roll < 0.08 ? 'rollback_failed' : 'succeeded';
        const took = (4 + rand() * 8) * 60_000;
        const known = rand() < 0.85;
        out.push({
          id,
          kind: 'deploy',
          service,
          outcome,
          startedAt: iso(begin),
          finishedAt: iso(begin + took),
          ...(known ? { oldestCommitAt: iso(begin - (2 + rand() * 40) * HOUR) } : {}),
        });
        if (outcome === 'succeeded' && rand() < 0.04) {
          const back = begin + took + (1 + rand()) * HOUR;
          out.push({
            id: `${id}r`,
            kind: 'rollback',
            service,
            outcome: 'succeeded',
            startedAt: iso(back),
            finishedAt: iso(back + 5 * 60_000),
          });
        }
      }
    }
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Writes the history into the store. */
export async function seedStore(store: StorePort, entries: readonly HistoryEntry[]): Promise<void> {
  for (const e of entries) await store.insertDeploy(historyRecord(e));
}
