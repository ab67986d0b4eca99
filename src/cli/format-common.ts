/** Small helpers shared by the terminal formatters. Pure: no I/O. */
import { replaceControlCharacters } from '../text/control';

export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** ANSI styles when `color`, identity functions otherwise. */
export function createStyle(color: boolean): Style {
  if (!color) return { green: plain, red: plain, yellow: plain, dim: plain, bold: plain };
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Removes ANSI colour codes, for width computations and tests. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- a colour code begins with ESC: matching it is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * Rows aligned in columns separated by two spaces; the last column is not padded.
 * Cells may carry colour codes: widths ignore them.
 */
export function alignTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, stripAnsi(cell).length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - stripAnsi(cell).length)))
      .join('  ')
      .trimEnd(),
  );
}

/** Cuts one line of untrusted text to `max` characters and removes control characters. */
export function oneLine(text: string, max = 200): string {
  const line = replaceControlCharacters(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** `2025-01-31T14:05:09.123Z` → `2025-01-31 14:05:09Z`. */
export function formatTimestamp(value: string | Date | null | undefined): string {
  if (!value) return '-';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `HH:MM:SS` of a time, for event lines. */
export function formatClock(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toISOString().slice(11, 19);
}

/** Milliseconds between two ISO times, or null when either is missing. */
export function elapsedMs(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** A git SHA as people read it (engine/validate's rule), `-` when absent. */
export { shortSha } from '../engine/validate';
