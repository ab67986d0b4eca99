import type { CheckStatus, SmokeResult } from '../engine/types';
import { safeRow, smokeSummary } from './render-common';

export { smokeSummary } from './render-common';

export interface SmokeTableOptions {
  /** ANSI colours; pass true only when writing to a TTY. */
  color: boolean;
  /** The run's wall time for the summary (default: the slowest check). */
  ms?: number;
}

const LABEL: Record<CheckStatus, string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
};
const COLOR: Record<CheckStatus, string> = { pass: '32', warn: '33', fail: '31', error: '1;31', skipped: '2' };

/** The smoke results as an aligned terminal table (Check, Severity, Result, Time, Reason) and a summary line. */
export function renderSmokeTable(results: readonly SmokeResult[], options: SmokeTableOptions): string {
  const rows = results.map(safeRow);
  const header = ['Check', 'Severity', 'Result', 'Time', 'Reason'];
  const cells = rows.map((r) => [r.name, r.severity, LABEL[r.status], r.time, r.reason]);
  const widths = [0, 1, 2, 3].map((col) => Math.max(header[col].length, ...cells.map((c) => c[col].length)));
  const paint = (text: string, code: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  // Pad before colouring so escape codes never count towards a column's width.
  const line = (c: string[], status?: CheckStatus) =>
    [
      c[0].padEnd(widths[0]),
      c[1].padEnd(widths[1]),
      status ? paint(c[2].padEnd(widths[2]), COLOR[status]) : c[2].padEnd(widths[2]),
      c[3].padStart(widths[3]),
      c[4],
    ]
      .join('  ')
      .trimEnd();
  const lines = [
    paint(line(header), '1'),
    ...cells.map((c, i) => line(c, rows[i].status)),
    '',
    smokeSummary(results, options.ms),
  ];
  return lines.join('\n');
}
