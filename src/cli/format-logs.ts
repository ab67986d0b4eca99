/** `logs` as text: one line per event, newest last. Pure. */
import type { LogsReport } from '../engine/api';
import { createStyle, formatTimestamp, oneLine, type Style } from './format-common';

const PLAIN = createStyle(false);

export function formatLogs(report: LogsReport, style: Style = PLAIN): string[] {
  const head = `${report.logGroup}: ${report.events.length} event${report.events.length === 1 ? '' : 's'} matching ${JSON.stringify(report.pattern)} since ${formatTimestamp(report.since)}`;
  const lines = [style.bold(head)];
  for (const e of report.events) lines.push(`${style.dim(formatTimestamp(e.timestamp))}  ${oneLine(e.message, 500)}`);
  if (report.truncated) lines.push(style.yellow('(more events exist: narrow --since or --pattern, or raise --limit)'));
  return lines;
}
