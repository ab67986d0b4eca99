/**
 * Making untrusted text (log lines, AWS reasons, service events) safe to place in markdown:
 * it must not close a code fence, break a table, inject HTML or links, or carry terminal escapes.
 */

import { replaceControlCharacters } from '../text/control';

/** U+02CB MODIFIER LETTER GRAVE ACCENT: looks like a backtick, cannot open or close code. */
const NEUTRAL_BACKTICK = '\u02cb';

// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]/g;

/** Removes terminal escape sequences and control characters (keeps tabs and newlines). */
export function stripControl(text: string): string {
  return replaceControlCharacters(text.replace(ANSI_SEQUENCE, '').replace(/\r\n?/g, '\n'), '');
}

/** Cuts to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line of plain text: control characters gone, whitespace runs (newlines too) collapsed. */
export function oneLine(text: string): string {
  return stripControl(text).replace(/\s+/g, ' ').trim();
}

/** Text for a table cell or a paragraph: one line, no code spans, HTML, links or cell breaks. */
export function escapeText(text: string, max = 500): string {
  return truncate(oneLine(text), max)
    .replace(/\\/g, '\\\\')
    .replace(/`/g, NEUTRAL_BACKTICK)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\[/g, '\\[')
    .replace(/]/g, '\\]');
}

/** An inline code span for identifiers (SHA, digest, ARN), safe inside a table. */
export function code(text: string): string {
  const clean = truncate(oneLine(text), 300).replace(/`/g, NEUTRAL_BACKTICK).replace(/\|/g, '\\|');
  return clean === '' ? '–' : `\`${clean}\``;
}

/** A fenced block of untrusted lines: each line cleaned and cut to `maxLine` characters. */
export function fencedBlock(lines: string[], maxLine = 300): string {
  const safe = lines.map((line) => truncate(oneLine(line).replace(/`/g, NEUTRAL_BACKTICK), maxLine));
  return ['```text', ...safe, '```'].join('\n');
}

/** A markdown table; cells must already be escaped. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
