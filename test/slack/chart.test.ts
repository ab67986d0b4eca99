/** The data_visualization builder refuses every chart Slack would refuse, and the stats view stays within the limits. */
import { computeDeliveryMetrics } from '../../src/engine/metrics';
import { seededHistory } from '../../src/sim/history-seed';
import {
  ChartLimitError,
  checkChartCount,
  pieChart,
  seriesChart,
  type SeriesChartSpec,
} from '../../src/slack/views/chart';
import { chartColumns, deliveryMetricsView, metricsCharts } from '../../src/slack/views/delivery-metrics';

const NOW = Date.parse('2026-12-08T12:00:00.000Z');

const spec = (over: Partial<SeriesChartSpec> = {}): SeriesChartSpec => ({
  type: 'bar',
  title: 'Deploys per week',
  categories: ['Nov 24', 'Dec 1'],
  series: [
    {
      name: 'Successful',
      data: [
        { label: 'Nov 24', value: 3 },
        { label: 'Dec 1', value: 5 },
      ],
    },
  ],
  ...over,
});

describe('seriesChart', () => {
  it('builds the block Slack documents', () => {
    expect(seriesChart({ ...spec(), xLabel: 'Week', yLabel: 'Deploys', blockId: 'b1' })).toEqual({
      type: 'data_visualization',
      title: 'Deploys per week',
      block_id: 'b1',
      chart: {
        type: 'bar',
        series: spec().series,
        axis_config: { categories: ['Nov 24', 'Dec 1'], x_label: 'Week', y_label: 'Deploys' },
      },
    });
  });

  const series = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ name: `S${i}`, data: [{ label: 'Dec 1', value: i }] }));

  it.each<[string, Partial<SeriesChartSpec>]>([
    ['a title over 50 characters', { title: 'x'.repeat(51) }],
    ['an empty title', { title: ' ' }],
    ['no series', { series: [] }],
    ['seven series', { series: series(7) }],
    ['two series of one name', { series: [...series(1), ...series(1)] }],
    ['a series name over 20 characters', { series: [{ name: 'n'.repeat(21), data: [{ label: 'Dec 1', value: 1 }] }] }],
    ['a category label over 20 characters', { categories: ['c'.repeat(21)] }],
    ['21 categories', { categories: Array.from({ length: 21 }, (_, i) => `W${i}`) }],
    ['a repeated category', { categories: ['Dec 1', 'Dec 1'] }],
    ['a point labelled outside the categories', { series: [{ name: 'S', data: [{ label: 'Dec 8', value: 1 }] }] }],
    ['a value that is not finite', { series: [{ name: 'S', data: [{ label: 'Dec 1', value: NaN }] }] }],
    ['an infinite value', { series: [{ name: 'S', data: [{ label: 'Dec 1', value: Infinity }] }] }],
    ['an axis label over 50 characters', { yLabel: 'y'.repeat(51) }],
  ])('refuses %s', (_name, over) => {
    expect(() => seriesChart(spec(over))).toThrow(ChartLimitError);
  });

  it('accepts six series and twenty categories of twenty characters', () => {
    const categories = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'c'.repeat(18)}`);
    const six = Array.from({ length: 6 }, (_, i) => ({
      name: `Series ${i}`,
      data: categories.map((label) => ({ label, value: i })),
    }));
    expect(() => seriesChart(spec({ categories, series: six, title: 't'.repeat(50) }))).not.toThrow();
  });
});

describe('pieChart and the charts of one message', () => {
  it('takes one to six segments and refuses more', () => {
    const segment = (i: number) => ({ label: `Seg ${i}`, value: i + 1 });
    expect(pieChart('Outcomes', [segment(0)]).chart).toEqual({ type: 'pie', segments: [segment(0)] });
    expect(() =>
      pieChart(
        'Outcomes',
        Array.from({ length: 7 }, (_, i) => segment(i)),
      ),
    ).toThrow(ChartLimitError);
    expect(() => pieChart('Outcomes', [])).toThrow(ChartLimitError);
  });

  it('refuses a third chart in one message', () => {
    const chart = { type: 'data_visualization' };
    expect(() => checkChartCount([chart, chart])).not.toThrow();
    expect(() => checkChartCount([chart, chart, chart])).toThrow(ChartLimitError);
  });
});

describe('the stats charts', () => {
  const metricsOver = (weeks: number) =>
    computeDeliveryMetrics(seededHistory({ services: ['backend'], weeks, now: NOW, perDay: 3 }), {
      service: 'backend',
      services: ['backend'],
      weeks,
      now: NOW,
    });

  it.each([1, 8, 20, 21, 52])('fit %i weeks into at most 20 columns, newest weeks kept', (weeks) => {
    const m = metricsOver(weeks);
    const { columns, weeksPerColumn } = chartColumns(m.series);
    expect(columns.length).toBeLessThanOrEqual(20);
    expect(columns.at(-1)!.label).toBe(m.series.at(-1 - (weeksPerColumn - 1))!.label);
    expect(metricsCharts(m.series)).toHaveLength(2);
    const view = deliveryMetricsView(m);
    expect(view.blocks.filter((b) => b.type === 'data_visualization')).toHaveLength(2);
    expect(view.text).toContain('Delivery metrics for backend');
    expect(JSON.stringify(view.blocks)).toContain('```');
  });

  it('groups 52 weeks by three and says so in the titles', () => {
    const [bar, line] = metricsCharts(metricsOver(52).series) as unknown as { title: string }[];
    expect(bar.title).toBe('Deploys per 3 weeks');
    expect(line.title).toBe('Change failure rate per 3 weeks (%)');
  });

  it('draws no chart without deploys, and says why in words', () => {
    const m = computeDeliveryMetrics([], { service: 'web', services: ['web'], weeks: 8, now: NOW });
    const view = deliveryMetricsView(m);
    expect(view.blocks.some((b) => b.type === 'data_visualization')).toBe(false);
    expect(JSON.stringify(view.blocks)).toContain('No deploys in the last 8 weeks: nothing to chart.');
    expect(view.text).toContain('change failure rate unknown (no deploys), time to restore unknown (nothing failed)');
  });
});
