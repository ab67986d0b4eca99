/** `stats` for the terminal: the four measures with their bands, then the weeks as a compact bar chart. Pure. */
import type { Band, DeliveryMetrics } from '../engine/metrics';
import { measureLines, scopeText, weekTable } from '../text/delivery-metrics';
import { alignTable, createStyle, type Style } from './format-common';

const PLAIN = createStyle(false);

function colourBand(band: Band | null, style: Style): string {
  if (band === null) return style.dim('–');
  if (band === 'elite' || band === 'high') return style.green(band);
  return band === 'medium' ? style.yellow(band) : style.red(band);
}

export function formatStats(m: DeliveryMetrics, style: Style = PLAIN): string[] {
  const header = ['MEASURE', 'VALUE', 'BAND', 'BASED ON'].map((h) => style.dim(h));
  const rows = measureLines(m).map((l) => [l.name, l.value, colourBand(l.band, style), l.note]);
  const lines = [style.bold(`Delivery metrics: ${scopeText(m)}`), '', ...alignTable([header, ...rows]), ''];
  if (!m.deploys) return [...lines, 'no deploys in this window'];
  return [
    ...lines,
    style.dim('Per week (█ successful, ░ failed), then the counts and the failure rate:'),
    ...weekTable(m.series),
    '',
    style.dim(
      `Bands: DORA 2023 State of DevOps thresholds. Failed: not verified, or rolled back within ${m.rollbackWindowHours} h.`,
    ),
  ];
}
