import type { SmokeResult } from '../engine/types';
import { safeRow, smokePassedLabel, smokeSummary, STATUS_EMOJI } from './render-common';
import { truncate } from './sanitize';

export interface SmokeBlocksOptions {
  /** true: Slack's native `table` block; false: a monospace fallback in mrkdwn sections. */
  table: boolean;
  /** The run's wall time for the summary (default: the slowest check). */
  ms?: number;
  /** A heading such as "Smoke tests: backend abc1234" (plain text, escaped here). */
  title?: string;
}

// Slack's limits (platform facts): 50 blocks a message, section text 3000, table 100 rows x 20 cells,
// and msg_blocks_too_long seen at about 13k characters in total, so the rows share a budget.
const MAX_BLOCKS = 50;
const TEXT_BUDGET = 10_000;
const SECTION_TEXT = 3000;
const TABLE_ROWS = 100;
const CELL_TEXT = 500;

type Block = Record<string, unknown>;

/** Escapes the three characters mrkdwn treats as markup (`<!channel>`, links, entities). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The smoke results as Block Kit blocks: a summary section, then a native `table` block or a
 * monospace fallback. Whatever the reasons contain, every text stays within Slack's limits and
 * there are never more than 50 blocks.
 */
export function smokeBlocks(results: readonly SmokeResult[], options: SmokeBlocksOptions): object[] {
  const blocks: Block[] = [summaryBlock(results, options)];
  if (results.length === 0) return blocks;
  return blocks.concat(options.table ? tableBlocks(results) : fallbackBlocks(results));
}

function summaryBlock(results: readonly SmokeResult[], options: SmokeBlocksOptions): Block {
  const title = escapeMrkdwn(truncate(options.title ?? 'Smoke tests', 150));
  const text = `*${title}*: ${smokePassedLabel(results)}\n${smokeSummary(results, options.ms)}`;
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_TEXT) } };
}

function tableBlocks(results: readonly SmokeResult[]): Block[] {
  const cell = (text: string) => ({ type: 'raw_text', text: truncate(text, CELL_TEXT) || '-' });
  const rows = [['Check', 'Severity', 'Result', 'Time', 'Reason'].map(cell)];
  let used = 0;
  for (const r of results.slice(0, TABLE_ROWS - 1).map(safeRow)) {
    const row = [r.name, r.severity, `${STATUS_EMOJI[r.status]} ${r.status}`, r.time, r.reason].map(cell);
    used += row.reduce((n, c) => n + c.text.length, 0);
    if (used > TEXT_BUDGET) break;
    rows.push(row);
  }
  const table: Block = {
    type: 'table',
    column_settings: [
      { is_wrapped: false },
      { is_wrapped: false },
      { is_wrapped: false },
      { align: 'right' },
      { is_wrapped: true },
    ],
    rows,
  };
  return [table, ...moreNote(results.length - (rows.length - 1))];
}

function fallbackBlocks(results: readonly SmokeResult[]): Block[] {
  const rows = results.map(safeRow);
  const width = Math.max(5, ...rows.map((r) => r.name.length));
  // Backticks would close the code block early; the rest of mrkdwn is escaped below.
  const line = (cols: string[]) => escapeMrkdwn(cols.join('  ').replace(/`/g, "'")).trimEnd();
  const header = line(['  ', 'Check'.padEnd(width), 'Severity', 'Result ', 'Time    ', 'Reason']);
  const lines = rows.map((r) =>
    line([
      STATUS_EMOJI[r.status],
      r.name.padEnd(width),
      r.severity.padEnd(8),
      r.status.padEnd(7),
      r.time.padStart(8),
      r.reason,
    ]),
  );
  const budget = SECTION_TEXT - 8; // the two ``` fences and their newlines
  const chunks: string[][] = [[header]];
  for (const text of lines) {
    const current = chunks[chunks.length - 1];
    const size = current.reduce((n, l) => n + l.length + 1, 0);
    if (size + text.length > budget) chunks.push([truncate(text, budget)]);
    else current.push(text);
  }
  const room = MAX_BLOCKS - 2; // the summary, and one note if rows are left out
  const kept: string[][] = [];
  let used = 0;
  for (const chunk of chunks.slice(0, room)) {
    used += chunk.reduce((n, l) => n + l.length + 1, 0);
    if (used > TEXT_BUDGET) break;
    kept.push(chunk);
  }
  const shownRows = kept.reduce((n, c) => n + c.length, 0) - 1;
  const blocks: Block[] = kept.map((c) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `\`\`\`\n${c.join('\n')}\n\`\`\`` },
  }));
  return [...blocks, ...moreNote(rows.length - shownRows)];
}

function moreNote(hidden: number): Block[] {
  if (hidden <= 0) return [];
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${hidden} more check results not shown` }] }];
}
