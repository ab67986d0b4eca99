/**
 * Delivery metrics in words, the same in Slack, the terminal and the Home tab: each measure's
 * value, its DORA band, and what it rests on (or why it is unknown). Pure; no markup.
 */
import type { Band, DeliveryMetrics, WeekStats } from '../engine/metrics';

export interface MeasureLine {
  name: string;
  value: string;
  band: Band | null;
  /** What the value rests on, or why it is unknown. */
  note: string;
}

/** `45m`, `5.2 h`, `3.5 days`; `–` when unknown. */
export function humanSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))}m`;
  if (seconds < 48 * 3600) return `${trim(seconds / 3600)} h`;
  return `${trim(seconds / 86_400)} days`;
}

/** `12.5%`; `–` when unknown. */
export function percent(rate: number | null): string {
  return rate === null ? '–' : `${trim(rate * 100)}%`;
}

const trim = (n: number) => (Math.round(n * 10) / 10).toString();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The four measures, in the DORA order. */
export function measureLines(m: DeliveryMetrics): MeasureLine[] {
  const hours = m.rollbackWindowHours;
  return [
    {
      name: 'Deployment frequency',
      value: `${trim(m.deploysPerWeek)} / week`,
      band: m.bands.deploysPerWeek,
      note: `${plural(m.succeeded, 'successful deploy')} in ${plural(m.weeks, 'week')}`,
    },
    {
      name: 'Change failure rate',
      value: percent(m.changeFailureRate),
      band: m.bands.changeFailureRate,
      note: m.deploys
        ? `${m.failed} of ${plural(m.deploys, 'deploy')} failed or rolled back within ${hours} h`
        : 'no deploys',
    },
    {
      name: 'Time to restore',
      value: humanSeconds(m.timeToRestoreSeconds),
      band: m.bands.timeToRestoreSeconds,
      note: restoreNote(m),
    },
    {
      name: 'Lead time for changes',
      value: humanSeconds(m.leadTimeSeconds),
      band: m.bands.leadTimeSeconds,
      note: leadNote(m),
    },
  ];
}

function restoreNote(m: DeliveryMetrics): string {
  const { restored, unrestored } = m.restores;
  if (!restored && !unrestored) return 'nothing failed';
  const base = `median of ${plural(restored, 'restore')}`;
  return unrestored ? `${base}; ${unrestored} not restored yet` : base;
}

function leadNote(m: DeliveryMetrics): string {
  const { known, unknown } = m.leadTime;
  if (!known) return unknown ? `the commits of ${plural(unknown, 'deploy')} were not read` : 'no deploys';
  return unknown ? `median of ${known}; commits unknown for ${unknown}` : `median of ${plural(known, 'deploy')}`;
}

/** `backend, last 8 weeks` or `all services (3), last 8 weeks`. */
export function scopeText(m: DeliveryMetrics): string {
  const who = m.service ?? (m.services.length === 1 ? m.services[0] : `${m.services.length} services`);
  return `${who}, last ${plural(m.weeks, 'week')}`;
}

/** One line of the week table: `Dec 1   ▇▇▇▁  5 ok  1 failed  17%`. */
export function weekRow(w: WeekStats, widest: number, barWidth = 20): string {
  const bar = widest ? Math.round((w.deploys / widest) * barWidth) : 0;
  const failedPart = w.deploys ? Math.round((w.failed / w.deploys) * bar) : 0;
  const bars = `${'█'.repeat(bar - failedPart)}${'░'.repeat(failedPart)}`.padEnd(barWidth);
  const rate = w.changeFailureRate === null ? '–' : percent(w.changeFailureRate);
  return `${w.label.padEnd(6)}  ${bars}  ${String(w.succeeded).padStart(3)} ok ${String(w.failed).padStart(3)} failed  ${rate.padStart(5)}`;
}

/** The weekly table with unicode bars (█ successful, ░ failed), oldest week first. */
export function weekTable(series: readonly WeekStats[], barWidth = 20): string[] {
  const widest = Math.max(0, ...series.map((w) => w.deploys));
  return series.map((w) => weekRow(w, widest, barWidth));
}
