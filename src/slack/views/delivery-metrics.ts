/**
 * `/deploys stats`: the four delivery measures with their bands, two charts (deploys per week,
 * successful against failed, and the change failure rate over the weeks), and the same weeks as
 * a text table for clients that draw no charts. The Home tab shows the measures only.
 */
import type { DeliveryMetrics, WeekStats } from '../../engine/metrics';
import { measureLines, scopeText, weekTable, type MeasureLine } from '../../text/delivery-metrics';
import {
  context,
  fieldsSection,
  header,
  message,
  preformatted,
  section,
  type SlackBlock,
  type SlackMessage,
} from './blocks';
import { CHART_LIMITS, chartBlock, checkChartCount, seriesChart } from './chart';

const BAND_ICON = {
  elite: ':star2:',
  high: ':large_green_circle:',
  medium: ':large_yellow_circle:',
  low: ':red_circle:',
};

/** A chart column: one week, or several when the window has more weeks than a chart has room for. */
export interface ChartColumn {
  label: string;
  succeeded: number;
  failed: number;
  deploys: number;
}

/**
 * The weeks grouped so a chart has at most 20 columns: `k` weeks a column, the newest weeks kept
 * when the number of weeks is not a multiple of `k` (the text table still shows every week).
 */
export function chartColumns(series: readonly WeekStats[]): { columns: ChartColumn[]; weeksPerColumn: number } {
  const k = Math.max(1, Math.ceil(series.length / CHART_LIMITS.categories));
  const kept = series.slice(series.length - Math.floor(series.length / k) * k);
  const columns: ChartColumn[] = [];
  for (let i = 0; i < kept.length; i += k) {
    const group = kept.slice(i, i + k);
    const sum = (pick: (w: WeekStats) => number) => group.reduce((total, w) => total + pick(w), 0);
    columns.push({
      label: group[0].label,
      succeeded: sum((w) => w.succeeded),
      failed: sum((w) => w.failed),
      deploys: sum((w) => w.deploys),
    });
  }
  return { columns, weeksPerColumn: k };
}

/** The two charts of the weeks. @throws ChartLimitError only on a bug: the columns are built within the limits. */
export function metricsCharts(series: readonly WeekStats[]): SlackBlock[] {
  const { columns, weeksPerColumn } = chartColumns(series);
  const categories = columns.map((c) => c.label);
  const per = weeksPerColumn === 1 ? 'week' : `${weeksPerColumn} weeks`;
  const points = (pick: (c: ChartColumn) => number) => columns.map((c) => ({ label: c.label, value: pick(c) }));
  const xLabel = weeksPerColumn === 1 ? 'Week starting (UTC)' : `${weeksPerColumn} weeks starting (UTC)`;
  return [
    chartBlock(
      seriesChart({
        type: 'bar',
        title: `Deploys per ${per}`,
        categories,
        series: [
          { name: 'Successful', data: points((c) => c.succeeded) },
          { name: 'Failed', data: points((c) => c.failed) },
        ],
        xLabel,
        yLabel: 'Deploys',
        blockId: 'stats_deploys',
      }),
    ),
    chartBlock(
      seriesChart({
        type: 'line',
        title: `Change failure rate per ${per} (%)`,
        categories,
        series: [
          {
            name: 'Failure rate',
            data: points((c) => (c.deploys ? Math.round((c.failed / c.deploys) * 1000) / 10 : 0)),
          },
        ],
        xLabel,
        yLabel: '% of deploys',
        blockId: 'stats_failure_rate',
      }),
    ),
  ];
}

function measureField(line: MeasureLine): string {
  const band = line.band ? `${BAND_ICON[line.band]} ${line.band}` : 'no band';
  return `*${line.name}*\n${line.value} · ${band}\n_${line.note}_`;
}

/** The top-level text: every number, for notifications, screen readers and clients without charts. */
export function metricsSummaryText(m: DeliveryMetrics): string {
  const parts = measureLines(m).map(
    (l) => `${l.name.toLowerCase()} ${l.band ? `${l.value} (${l.band})` : `unknown (${l.note})`}`,
  );
  return `Delivery metrics for ${scopeText(m)}: ${parts.join(', ')}`;
}

export function deliveryMetricsView(m: DeliveryMetrics): SlackMessage {
  const blocks: SlackBlock[] = [
    header(`Delivery metrics: ${scopeText(m)}`),
    fieldsSection(measureLines(m).map(measureField)),
  ];
  if (!m.deploys) {
    blocks.push(section(`No deploys in the last ${m.weeks === 1 ? 'week' : `${m.weeks} weeks`}: nothing to chart.`));
  } else {
    blocks.push(...metricsCharts(m.series));
    blocks.push(
      section('*Per week* (█ successful, ░ failed; then the failure rate)'),
      preformatted(weekTable(m.series, 16).join('\n')),
    );
  }
  blocks.push(
    context([
      `Bands: DORA's 2023 State of DevOps thresholds. A deploy failed when it was not verified, or was rolled back within ${m.rollbackWindowHours} h. Weeks without deploys chart as 0%.`,
    ]),
  );
  checkChartCount(blocks);
  return message(metricsSummaryText(m), blocks);
}

/** The Home tab's section: the measures of the services the person may read, without charts. */
export function homeMetricsBlocks(m: DeliveryMetrics): SlackBlock[] {
  return [section(`*Delivery, ${scopeText(m)}*`), fieldsSection(measureLines(m).map(measureField))];
}
