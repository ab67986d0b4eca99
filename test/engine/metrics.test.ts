/** The four delivery measures on fixed histories, edge cases included. */
import { computeDeliveryMetrics, WEEK_MS } from '../../src/engine/metrics';
import { frequencyBand, median } from '../../src/engine/metrics-bands';
import type { ChangeOutline } from '../../src/engine/store-port';
import { seedStore } from '../../src/sim/history-seed';
import { createTestEngine } from '../fakes';

const NOW = Date.parse('2026-12-08T12:00:00.000Z');
const HOUR = 3600_000;
/** `hours` before NOW, as ISO. */
const ago = (hours: number) => new Date(NOW - hours * HOUR).toISOString();

let n = 0;
function change(
  kind: ChangeOutline['kind'],
  outcome: ChangeOutline['outcome'],
  startedHoursAgo: number,
  tookHours = 0.1,
  extra: Partial<ChangeOutline> = {},
): ChangeOutline {
  n += 1;
  return {
    id: `c${String(n).padStart(3, '0')}`,
    kind,
    service: 'backend',
    outcome,
    startedAt: ago(startedHoursAgo),
    finishedAt: outcome === 'running' ? null : ago(startedHoursAgo - tookHours),
    changesSummary: null,
    ...extra,
  };
}

const withCommits = (oldestHoursBeforeStart: number, startedHoursAgo: number) => ({
  changesSummary: {
    status: 'ahead' as const,
    baseSha: null,
    headSha: 'a'.repeat(40),
    aheadBy: 3,
    behindBy: 0,
    totalCommits: 3,
    oldestCommitAt: ago(startedHoursAgo + oldestHoursBeforeStart),
  },
});

const metrics = (changes: ChangeOutline[], weeks = 4) =>
  computeDeliveryMetrics(changes, { service: 'backend', services: ['backend'], weeks, now: NOW });

describe('computeDeliveryMetrics', () => {
  it('measures a mixed month: frequency, failures, restores and lead time with their bands', () => {
    const history = [
      // Week 1 (oldest): a good deploy with known commits (lead time 10 h + 0.1 h).
      change('deploy', 'succeeded', 600, 0.1, withCommits(10, 600)),
      // Week 2: a deploy ECS rolled back by itself: restored when its rollback was verified (0.5 h).
      change('deploy', 'rolled_back', 400, 0.5),
      // Week 3: a verified deploy rolled back by hand 2 h later (restored 0.2 h after that).
      change('deploy', 'succeeded', 300, 0.1, withCommits(2, 300)),
      change('rollback', 'succeeded', 297.9, 0.2),
      // Week 3: a deploy whose rollback failed, restored by the next good deploy 5 h later.
      change('deploy', 'rollback_failed', 200, 1),
      change('deploy', 'succeeded', 195, 0.1),
      // Week 4: a refused and an invalid deploy change nothing and do not count.
      change('deploy', 'refused', 50, 0),
      change('deploy', 'invalid', 40, 0),
      change('restart', 'succeeded', 30, 0.1),
    ];
    const m = metrics(history);
    expect(m).toMatchObject({ deploys: 5, succeeded: 2, failed: 3, deploysPerWeek: 0.5, changeFailureRate: 0.6 });
    // Restores: 0.5 h, 2.2 h (from its verification to the rollback's), 5.1 h (from its start): median 2.2 h.
    expect(m.timeToRestoreSeconds).toBe(7920);
    expect(m.restores).toEqual({ restored: 3, unrestored: 0 });
    // Only the successful deploy with known commits: 10.1 h.
    expect(m.leadTimeSeconds).toBe(36_360);
    expect(m.leadTime).toEqual({ known: 1, unknown: 1 });
    expect(m.bands).toEqual({
      deploysPerWeek: 'medium',
      changeFailureRate: 'low',
      timeToRestoreSeconds: 'high',
      leadTimeSeconds: 'elite',
    });
    expect(m.series.map((w) => [w.deploys, w.failed])).toEqual([
      [1, 0],
      [1, 1],
      [3, 2],
      [0, 0],
    ]);
    expect(m.series[3].changeFailureRate).toBeNull();
    expect(m.series[2].changeFailureRate).toBe(0.6667);
  });

  it('says nothing is known when there were no deploys, and puts frequency in the low band', () => {
    const m = metrics([]);
    expect(m).toMatchObject({
      deploys: 0,
      deploysPerWeek: 0,
      changeFailureRate: null,
      timeToRestoreSeconds: null,
      leadTimeSeconds: null,
      bands: { deploysPerWeek: 'low', changeFailureRate: null, timeToRestoreSeconds: null, leadTimeSeconds: null },
    });
    expect(m.series).toHaveLength(4);
    expect(m.series.every((w) => w.deploys === 0 && w.changeFailureRate === null)).toBe(true);
  });

  it('counts every deploy failed when all failed, with no restore while no good state came', () => {
    const m = metrics([change('deploy', 'failed', 100, 1), change('deploy', 'rollback_failed', 50, 1)]);
    expect(m).toMatchObject({ deploys: 2, failed: 2, changeFailureRate: 1, deploysPerWeek: 0 });
    expect(m.timeToRestoreSeconds).toBeNull();
    expect(m.restores).toEqual({ restored: 0, unrestored: 2 });
    expect(m.bands.changeFailureRate).toBe('low');
  });

  it('ignores a rollback with no earlier deploy to take back, and still finds the next good state', () => {
    const m = metrics([
      change('rollback', 'rollback_failed', 300, 1),
      change('deploy', 'failed', 200, 1),
      change('rollback', 'succeeded', 100, 1),
    ]);
    expect(m).toMatchObject({ deploys: 1, failed: 1, changeFailureRate: 1 });
    // From the failed deploy's start (200 h ago) to the rollback's verification (99 h ago).
    expect(m.timeToRestoreSeconds).toBe(101 * 3600);
    expect(metrics([change('rollback', 'succeeded', 10, 1)])).toMatchObject({
      deploys: 0,
      changeFailureRate: null,
      timeToRestoreSeconds: null,
    });
  });

  it('leaves lead time out, and says so, when no deploy knows its changes', () => {
    const unknownChanges = {
      changesSummary: { ...withCommits(5, 20).changesSummary, status: 'unavailable' as const, oldestCommitAt: null },
    };
    const m = metrics([change('deploy', 'succeeded', 20, 0.1), change('deploy', 'succeeded', 10, 0.1, unknownChanges)]);
    expect(m.leadTimeSeconds).toBeNull();
    expect(m.bands.leadTimeSeconds).toBeNull();
    expect(m.leadTime).toEqual({ known: 0, unknown: 2 });
  });

  it('blames a rollback on the last deploy before it, only within the 24-hour window', () => {
    const first = change('deploy', 'succeeded', 100, 0.1);
    const second = change('deploy', 'succeeded', 99, 0.1);
    const late = change('deploy', 'succeeded', 60, 0.1);
    const m = metrics([
      first,
      second,
      change('rollback', 'succeeded', 98, 0.1),
      late,
      change('rollback', 'succeeded', 20, 0.1),
    ]);
    // The first rollback takes back the second deploy; the last one came 40 h after `late`: not a failure of it.
    expect(m).toMatchObject({ deploys: 3, failed: 1, succeeded: 2 });
    expect(m.changeFailureRate).toBe(0.3333);
  });

  it('keeps changes outside the window and of other kinds out of the measures', () => {
    const m = metrics([
      change('deploy', 'failed', 5 * 7 * 24, 1),
      change('stop', 'succeeded', 10),
      change('deploy', 'running', 1),
    ]);
    expect(m.deploys).toBe(0);
  });

  it('spans the asked number of weeks, each labelled with its start day', () => {
    const m = metrics([change('deploy', 'succeeded', 1)], 52);
    expect(m.series).toHaveLength(52);
    expect(m.series[51]).toMatchObject({ label: 'Dec 1', deploys: 1, succeeded: 1 });
    expect(Date.parse(m.series[0].start)).toBe(NOW - 52 * WEEK_MS);
    expect(new Set(m.series.map((w) => w.label)).size).toBe(52);
  });
});

describe('bands and medians', () => {
  it('bands frequency with the DORA thresholds: daily elite, weekly high, monthly medium', () => {
    expect([7, 6.9, 1, 0.25, 0.2].map(frequencyBand)).toEqual(['elite', 'high', 'high', 'medium', 'low']);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('Engine.deliveryMetrics', () => {
  it('reads the window of the history in the store and measures it at the engine clock', async () => {
    const t = createTestEngine();
    const now = t.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    await seedStore(t.store, [
      {
        id: 'e-1',
        kind: 'deploy',
        service: 'backend',
        outcome: 'succeeded',
        startedAt: iso(now - 3 * HOUR),
        finishedAt: iso(now - 2 * HOUR),
        oldestCommitAt: iso(now - 5 * HOUR),
      },
      {
        id: 'e-old',
        kind: 'deploy',
        service: 'backend',
        outcome: 'failed',
        startedAt: iso(now - 3 * WEEK_MS),
        finishedAt: iso(now - 3 * WEEK_MS + HOUR),
      },
    ]);
    const m = await t.engine.deliveryMetrics({ service: 'backend', weeks: 2 });
    expect(m).toMatchObject({
      service: 'backend',
      deploys: 1,
      failed: 0,
      leadTimeSeconds: 3 * 3600,
      deploysPerWeek: 0.5,
    });
    expect((await t.engine.deliveryMetrics({ weeks: 4 })).failed).toBe(1);
    await t.store.close();
  });

  it('refuses weeks outside 1–52 and an unknown service before reading anything', async () => {
    const t = createTestEngine();
    await expect(t.engine.deliveryMetrics({ weeks: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.engine.deliveryMetrics({ weeks: 53 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.engine.deliveryMetrics({ weeks: 2.5 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.engine.deliveryMetrics({ service: 'nosuch', weeks: 4 })).rejects.toMatchObject({
      code: 'unknown_service',
    });
    await t.store.close();
  });
});
