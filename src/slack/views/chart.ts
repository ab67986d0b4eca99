/**
 * Block Kit's `data_visualization` block (line, bar, area and pie charts), which `@slack/types`
 * does not type yet. The builders check every limit Slack enforces, since Slack refuses a whole
 * message (`invalid_blocks`) for one chart that breaks one: a title of at most 50 characters,
 * 1–6 series with unique names of at most 20, at most 20 categories of at most 20 characters,
 * every data point labelled with a category, finite values, and two charts per message.
 * Clients that do not draw charts show nothing for the block: a message with a chart always
 * carries a text version too.
 */
import type { SlackBlock } from './blocks';

export const CHART_LIMITS = {
  title: 50,
  series: 6,
  seriesName: 20,
  /** Categories on the x axis, and so data points per series. */
  categories: 20,
  categoryLabel: 20,
  axisLabel: 50,
  segments: 6,
  chartsPerMessage: 2,
} as const;

export interface ChartPoint {
  label: string;
  value: number;
}

export interface ChartSeries {
  name: string;
  data: ChartPoint[];
}

export interface AxisConfig {
  categories: string[];
  x_label?: string;
  y_label?: string;
}

export type SeriesChartType = 'bar' | 'area' | 'line';

export type Chart =
  { type: SeriesChartType; series: ChartSeries[]; axis_config: AxisConfig } | { type: 'pie'; segments: ChartPoint[] };

export interface DataVisualizationBlock {
  type: 'data_visualization';
  title: string;
  chart: Chart;
  block_id?: string;
}

/** A limit a chart would break; thrown by the builders (a view's mistake, never the user's). */
export class ChartLimitError extends RangeError {
  override readonly name = 'ChartLimitError';
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new ChartLimitError(`data_visualization: ${what}`);
}

function checkText(text: string | undefined, max: number, what: string): void {
  if (text === undefined) return;
  check(text.trim().length > 0 && text.length <= max, `${what} must be 1–${max} characters (got ${text.length})`);
}

function checkValue(point: ChartPoint, where: string): void {
  check(Number.isFinite(point.value), `${where}: the value of "${point.label}" is not a finite number`);
}

export interface SeriesChartSpec {
  type: SeriesChartType;
  title: string;
  categories: string[];
  series: ChartSeries[];
  xLabel?: string;
  yLabel?: string;
  blockId?: string;
}

/** @throws ChartLimitError when the chart breaks one of Slack's limits. */
export function seriesChart(spec: SeriesChartSpec): DataVisualizationBlock {
  checkText(spec.title, CHART_LIMITS.title, 'the title');
  checkText(spec.xLabel, CHART_LIMITS.axisLabel, 'the x-axis label');
  checkText(spec.yLabel, CHART_LIMITS.axisLabel, 'the y-axis label');
  const { categories, series } = spec;
  check(
    categories.length >= 1 && categories.length <= CHART_LIMITS.categories,
    `1–20 categories (got ${categories.length})`,
  );
  for (const c of categories) checkText(c, CHART_LIMITS.categoryLabel, `category "${c}"`);
  check(new Set(categories).size === categories.length, 'categories must be unique');
  check(series.length >= 1 && series.length <= CHART_LIMITS.series, `1–6 series (got ${series.length})`);
  check(new Set(series.map((s) => s.name)).size === series.length, 'series names must be unique');
  const known = new Set(categories);
  for (const s of series) {
    checkText(s.name, CHART_LIMITS.seriesName, `series name "${s.name}"`);
    check(
      s.data.length >= 1 && s.data.length <= categories.length,
      `series "${s.name}" needs 1 point per category at most`,
    );
    for (const point of s.data) {
      check(known.has(point.label), `series "${s.name}": "${point.label}" is not a category`);
      checkValue(point, `series "${s.name}"`);
    }
  }
  const axis: AxisConfig = { categories: [...categories] };
  if (spec.xLabel !== undefined) axis.x_label = spec.xLabel;
  if (spec.yLabel !== undefined) axis.y_label = spec.yLabel;
  return {
    type: 'data_visualization',
    title: spec.title,
    chart: {
      type: spec.type,
      series: series.map((s) => ({ name: s.name, data: s.data.map((p) => ({ ...p })) })),
      axis_config: axis,
    },
    ...(spec.blockId ? { block_id: spec.blockId } : {}),
  };
}

/** @throws ChartLimitError when the chart breaks one of Slack's limits. */
export function pieChart(title: string, segments: ChartPoint[], blockId?: string): DataVisualizationBlock {
  checkText(title, CHART_LIMITS.title, 'the title');
  check(segments.length >= 1 && segments.length <= CHART_LIMITS.segments, `1–6 segments (got ${segments.length})`);
  for (const s of segments) {
    checkText(s.label, CHART_LIMITS.categoryLabel, `segment "${s.label}"`);
    checkValue(s, 'pie');
  }
  return {
    type: 'data_visualization',
    title,
    chart: { type: 'pie', segments: segments.map((s) => ({ ...s })) },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

/** The chart as a block of a message (our blocks are plain JSON). */
export function chartBlock(chart: DataVisualizationBlock): SlackBlock {
  return { ...chart };
}

/** @throws ChartLimitError when `blocks` hold more charts than one message may. */
export function checkChartCount(blocks: readonly SlackBlock[]): void {
  const charts = blocks.filter((b) => b.type === 'data_visualization').length;
  check(charts <= CHART_LIMITS.chartsPerMessage, `at most 2 charts per message (got ${charts})`);
}
