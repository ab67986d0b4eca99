import type { SmokeResult } from '../../src/engine/types';
import { renderSmokeTable, smokeBlocks, smokeSummary } from '../../src/smoke';

// eslint-disable-next-line no-control-regex -- ESC is what this test looks for: the start of an ANSI colour code
const ANSI = /\u001b\[/;

function result(
  name: string,
  status: SmokeResult['status'],
  reason: string,
  severity: SmokeResult['severity'] = 'fail',
  ms = 40,
): SmokeResult {
  return { name, title: name, severity, status, ms, reason };
}

const MIXED: SmokeResult[] = [
  result('version', 'pass', 'gitSha 3f9c2a1b7d4e matches the expected SHA', 'fail', 41),
  result('liveness', 'pass', 'HTTP 200', 'fail', 12),
  result('readiness', 'pass', 'ready (ready = true)', 'fail', 15),
  result('https', 'pass', 'plain HTTP redirected to https (301)', 'fail', 9),
  result('auth', 'pass', '/api/v1/clients answered 401 without credentials', 'fail', 14),
  result('cors', 'warn', 'no Access-Control-Allow-Origin for https://app.example.com', 'warn', 13),
  result('security_headers', 'pass', 'all 3 present', 'fail', 12),
  result('response_time', 'pass', '/api/v1/version answered in 41 ms (limit 2000 ms)', 'warn', 42),
  result('error_format', 'pass', 'no sensitive data in 2 error bodies (HTTP 401, 404)', 'fail', 20),
  result('root', 'pass', 'HTTP 200', 'fail', 11),
];

/** 200 characters of everything a hostile target could put into a reason. */
const HOSTILE = ('<!channel> ```*_~ &amp; \u001b[31mred\u001b[0m\n\t\u202e' + 'x'.repeat(200)).slice(0, 200);

describe('Function: renderSmokeTable', () => {
  it('aligns the columns and prints no escape codes without colour', () => {
    const text = renderSmokeTable(MIXED, { color: false, ms: 412 });

    const lines = text.split('\n');
    expect(text).not.toMatch(ANSI);
    expect(lines[0]).toMatch(/^Check\s+Severity\s+Result\s+Time\s+Reason$/);
    const columnStarts = (line: string) => [line.indexOf('Severity'), line.indexOf('Result')];
    const severityAt = lines[0].indexOf('Severity');
    const resultAt = lines[0].indexOf('Result');
    expect(columnStarts(lines[0])).toEqual([severityAt, resultAt]);
    for (const line of lines.slice(1, 11)) {
      expect(line.slice(severityAt, severityAt + 4)).toMatch(/^(fail|warn)$/);
      expect(line.slice(resultAt, resultAt + 4)).toMatch(/^(PASS|WARN|FAIL|ERRO|SKIP)$/);
    }
    expect(lines[lines.length - 1]).toBe('9 passed, 1 warning, 0 failed — 412 ms');
  });

  it('colours the result column only when asked', () => {
    const text = renderSmokeTable(MIXED, { color: true });

    expect(text).toMatch(ANSI);
    expect(text.split('\n')[1]).toContain('\u001b[32mPASS');
  });

  it('strips escape codes and newlines a target put into a reason', () => {
    const text = renderSmokeTable([result('root', 'fail', HOSTILE)], { color: false });

    expect(text).not.toMatch(ANSI);
    expect(text).not.toContain('\u202e');
    expect(text.split('\n')).toHaveLength(4);
  });
});

describe('Function: smokeSummary', () => {
  it('counts errors and skips only when there are some', () => {
    const results = [
      result('a', 'pass', ''),
      result('b', 'error', ''),
      result('c', 'skipped', ''),
      result('d', 'warn', '', 'warn'),
      result('e', 'warn', '', 'warn'),
    ];

    expect(smokeSummary(results, 1234)).toBe('1 passed, 2 warnings, 0 failed, 1 error, 1 skipped — 1234 ms');
  });
});

/** Every text anywhere in the blocks, with the key that holds it. */
function texts(value: unknown, key = ''): { key: string; text: string }[] {
  if (typeof value === 'string') return [{ key, text: value }];
  if (Array.isArray(value)) return value.flatMap((v) => texts(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => texts(v, k));
  return [];
}

function expectWithinSlackLimits(blocks: object[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  const tables = blocks.filter((b) => (b as { type: string }).type === 'table') as { rows: unknown[][] }[];
  expect(tables.length).toBeLessThanOrEqual(1);
  for (const table of tables) {
    expect(table.rows.length).toBeLessThanOrEqual(100);
    for (const row of table.rows) expect(row.length).toBeLessThanOrEqual(20);
  }
  for (const block of blocks as { type: string; text?: { text: string } }[]) {
    if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
  }
  const all = texts(blocks).filter(({ key }) => key === 'text');
  for (const { text } of all) expect(text.length).toBeLessThanOrEqual(3000);
  // msg_blocks_too_long has been seen at about 13k characters in total.
  expect(all.reduce((n, { text }) => n + text.length, 0)).toBeLessThan(13_000);
}

describe('Function: smokeBlocks', () => {
  it('renders one native table with a header row, severity and status emoji', () => {
    const blocks = smokeBlocks(MIXED, { table: true, ms: 412 }) as {
      type: string;
      rows?: { type: string; text: string }[][];
    }[];

    expect(blocks.map((b) => b.type)).toEqual(['section', 'table']);
    const rows = blocks[1].rows!;
    expect(rows).toHaveLength(11);
    expect(rows[0].map((c) => c.text)).toEqual(['Check', 'Severity', 'Result', 'Time', 'Reason']);
    expect(rows[6].map((c) => c.text)).toEqual([
      'cors',
      'warn',
      '⚠️ warn',
      '13 ms',
      'no Access-Control-Allow-Origin for https://app.example.com',
    ]);
    expect(rows.flat().every((c) => c.type === 'raw_text' && c.text.length > 0)).toBe(true);
    expect(JSON.stringify(blocks[0])).toContain('9 passed, 1 warning, 0 failed — 412 ms');
  });

  it('shows the failed verdict when a fail-severity check errored', () => {
    const blocks = smokeBlocks([result('version', 'error', 'connection refused')], { table: true });

    expect(JSON.stringify(blocks[0])).toContain('❌ failed');
    expect(JSON.stringify(blocks[1])).toContain('💥 error');
  });

  it.each([true, false])('stays within Slack limits with hostile 200-character reasons (table=%s)', (table) => {
    const hostile = MIXED.map((r) => ({ ...r, reason: HOSTILE, name: `${r.name}${'n'.repeat(100)}` }));

    const blocks = smokeBlocks(hostile, { table, title: 'Smoke <tests> & more'.repeat(20) });

    expectWithinSlackLimits(blocks);
    const all = JSON.stringify(blocks);
    expect(all).not.toContain('\\u001b');
    expect(all).not.toContain('\\u202e');
  });

  it.each([true, false])('never exceeds 50 blocks or 100 table rows, however many results (table=%s)', (table) => {
    const many = Array.from({ length: 400 }, (_, i) => result(`check_${i}`, 'fail', HOSTILE));

    const blocks = smokeBlocks(many, { table });

    expectWithinSlackLimits(blocks);
    expect(JSON.stringify(blocks.at(-1))).toContain('more check results not shown');
  });

  it('falls back to a monospace code block, escaping mrkdwn and keeping backticks from closing it', () => {
    const blocks = smokeBlocks([result('root', 'fail', 'see <!channel> and ``` & more')], { table: false }) as {
      type: string;
      text: { type: string; text: string };
    }[];

    expect(blocks.map((b) => b.type)).toEqual(['section', 'section']);
    const code = blocks[1].text.text;
    expect(code.startsWith('```\n') && code.endsWith('\n```')).toBe(true);
    expect(code.match(/```/g)).toHaveLength(2);
    expect(code).toContain('&lt;!channel&gt;');
    expect(code).toContain('&amp; more');
    expect(code).toContain('❌');
    expect(code).toMatch(/root\s+fail\s+fail/);
  });
});
