/** `/deploys stats` through Bolt's real HTTP receiver, on a seeded history: the numbers, two charts within Slack's limits, and a text version. */
import { seedStore, type HistoryEntry } from '../../src/sim/history-seed';
import type { ChartSeries } from '../../src/slack/views/chart';
import { startHarness, USERS, waitFor, type Harness } from './helpers/harness';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Backend's last month besides the harness's own deploy a day ago (changes unknown). */
function history(now: number): HistoryEntry[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const deploy = (
    id: string,
    daysAgo: number,
    outcome: HistoryEntry['outcome'],
    tookMin: number,
    commitHours?: number,
  ) => {
    const start = now - daysAgo * DAY;
    return {
      id,
      kind: 'deploy' as const,
      service: 'backend',
      outcome,
      startedAt: iso(start),
      finishedAt: iso(start + tookMin * 60_000),
      ...(commitHours === undefined ? {} : { oldestCommitAt: iso(start - commitHours * HOUR) }),
    };
  };
  return [
    deploy('s-1', 30, 'succeeded', 10, 5),
    deploy('s-2', 20, 'rolled_back', 30),
    deploy('s-3', 10, 'succeeded', 10, 2),
  ];
}

interface Block {
  type: string;
  text?: { text?: string };
  fields?: unknown[];
}

interface SeriesChartBlock {
  type: 'data_visualization';
  title: string;
  chart: { type: string; series: ChartSeries[]; axis_config: { categories: string[] } };
}

/** Every limit of platform-facts' "Block Kit: charts and tables" for the chart blocks of a message. */
function expectChartsWithinLimits(blocks: Block[]): SeriesChartBlock[] {
  const charts = blocks.filter((b) => b.type === 'data_visualization') as unknown as SeriesChartBlock[];
  expect(charts.length).toBeLessThanOrEqual(2);
  for (const c of charts) {
    expect(c.title.length).toBeLessThanOrEqual(50);
    const { categories } = c.chart.axis_config;
    expect(categories.length).toBeLessThanOrEqual(20);
    for (const label of categories) expect(label.length).toBeLessThanOrEqual(20);
    expect(c.chart.series.length).toBeGreaterThanOrEqual(1);
    expect(c.chart.series.length).toBeLessThanOrEqual(6);
    expect(new Set(c.chart.series.map((s) => s.name)).size).toBe(c.chart.series.length);
    for (const s of c.chart.series)
      for (const p of s.data) {
        expect(categories).toContain(p.label);
        expect(Number.isFinite(p.value)).toBe(true);
      }
  }
  return charts;
}

describe('/deploys stats through the real receiver', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
    await seedStore(h.fake!.te.store, history(Date.now()));
  });

  afterEach(async () => {
    await h.close();
  });

  const answer = async (text: string, user = USERS.nobody) => {
    const before = h.slack.responses().length;
    await h.command('/deploys', text, user);
    await waitFor(() => h.slack.responses().length > before, 5000, 'the answer');
    return h.slack.responses().at(-1)!.body as { text: string; blocks: Block[]; response_type: string };
  };

  it('shows the four measures with bands, two charts and the weeks as text', async () => {
    const body = await answer('stats backend');

    expect(body.response_type).toBe('in_channel');
    // 4 deploys (3 seeded, 1 the harness's), 1 rolled back; 3 successful in 8 weeks.
    expect(body.text).toBe(
      'Delivery metrics for backend, last 8 weeks: deployment frequency 0.4 / week (medium), ' +
        'change failure rate 25% (low), time to restore 30m (elite), lead time for changes 3.7 h (elite)',
    );
    const fields = JSON.stringify(body.blocks.find((b) => b.fields));
    expect(fields).toContain('1 of 4 deploys failed or rolled back within 24 h');
    expect(fields).toContain('median of 2; commits unknown for 1');
    const [bar, line] = expectChartsWithinLimits(body.blocks);
    expect(bar.chart.type).toBe('bar');
    expect(bar.chart.series.map((s) => s.name)).toEqual(['Successful', 'Failed']);
    expect(bar.chart.axis_config.categories).toHaveLength(8);
    const total = (s: ChartSeries) => s.data.reduce((n, p) => n + p.value, 0);
    expect(bar.chart.series.map(total)).toEqual([3, 1]);
    expect(line.chart.type).toBe('line');
    expect(Math.max(...line.chart.series[0].data.map((p) => p.value))).toBe(100);
    // The text version: the per-week table with bars, in a code block.
    const table = body.blocks.find((b) => b.type === 'section' && b.text?.text?.startsWith('```'));
    expect(table!.text!.text).toMatch(/█+ +1 ok +0 failed +0%/);
    expect(table!.text!.text).toMatch(/░+ +0 ok +1 failed +100%/);
  });

  it.each([1, 8, 52])('keeps the charts within the limits for %i weeks', async (weeks) => {
    const body = await answer(`stats ${weeks}`);
    const charts = expectChartsWithinLimits(body.blocks);
    expect(charts).toHaveLength(2);
    expect(body.text).toContain(`last ${weeks === 1 ? '1 week' : `${weeks} weeks`}`);
  });

  it('covers every service the caller may read without a service', async () => {
    const all = await answer('stats 4');
    expect(all.text).toContain('Delivery metrics for 2 services, last 4 weeks');
    const web = await answer('stats web 1');
    expect(web.text).toContain('Delivery metrics for web, last 1 week: deployment frequency 1 / week (high)');
  });

  it('answers bad input with the usage, ephemerally, and reads nothing', async () => {
    for (const text of ['stats backend 99', 'stats nosuch', 'stats backend 2 3']) {
      const body = await answer(text);
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toContain('Usage: `/deploys [service] | /deploys stats [service] [weeks]`');
    }
  });
});
