/**
 * Markdown reports on DynamoDB, apart from the deploy records (an item holds at most
 * 400 KB). A report is split into parts of at most ~300 KB under a generation, and a
 * `HEAD` item names the generation to read, so a replaced report switches in one write.
 */
import { randomBytes } from 'node:crypto';
import { CodedError, ErrorCodes } from '../errors';
import { keys } from './dynamo-keys';
import type { DynamoTable, Item } from './dynamo-table';

/** UTF-16 units per part: at most 3 bytes of UTF-8 each, so a part stays under 300 KB. */
const REPORT_PART_CHARS = 100_000;
/** Longer reports are cut here, with a note saying so. */
const REPORT_MAX_CHARS = 2_000_000;

const HEAD = 'HEAD';
const partKey = (generation: string, n: number) => `PART#${generation}#${String(n).padStart(4, '0')}`;

/** Splits `text` into parts, never between the two halves of a surrogate pair. */
function splitReport(text: string, size = REPORT_PART_CHARS): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts.length > 0 ? parts : [''];
}

/**
 * With `fence`, the HEAD is written only when no HEAD of a later fencing token is there: a report
 * by a process that lost the change never replaces the new owner's.
 */
export async function saveReport(
  table: DynamoTable,
  deployId: string,
  markdown: string,
  fence?: number,
): Promise<void> {
  const what = 'saving a report';
  const pk = keys.reportPk(deployId);
  const truncated = markdown.length > REPORT_MAX_CHARS;
  const text = truncated
    ? `${markdown.slice(0, REPORT_MAX_CHARS)}\n\n… (report cut at ${REPORT_MAX_CHARS} characters)\n`
    : markdown;
  const generation = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const parts = splitReport(text);
  for (const [n, part] of parts.entries()) await table.put(what, { pk, sk: partKey(generation, n), text: part });
  const head = { pk, sk: HEAD, generation, parts: parts.length, truncated, savedAt: new Date().toISOString() };
  const written = await table.put(
    what,
    fence === undefined ? head : { ...head, fence },
    fence === undefined
      ? undefined
      : {
          expression: 'attribute_not_exists(pk) OR attribute_not_exists(fence) OR fence <= :f',
          values: { ':f': fence },
        },
  );
  if (written === null) {
    throw new CodedError(
      ErrorCodes.staleFence,
      `store: the report of ${deployId} was saved by a later owner of the change`,
    );
  }
  // The parts of earlier versions are no longer read; removing them is tidying, not correctness.
  const stale = (await readAll(table, pk)).filter(
    (item) => item.sk !== HEAD && !String(item.sk).startsWith(`PART#${generation}#`),
  );
  for (const item of stale) await table.delete(what, { pk, sk: String(item.sk) });
}

export async function getReport(table: DynamoTable, deployId: string): Promise<string | undefined> {
  const items = await readAll(table, keys.reportPk(deployId));
  const head = items.find((item) => item.sk === HEAD);
  if (!head) return undefined;
  const prefix = `PART#${String(head.generation)}#`;
  const parts = items
    .filter((item) => String(item.sk).startsWith(prefix))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  if (parts.length !== Number(head.parts)) {
    throw new CodedError(
      ErrorCodes.storeError,
      `store: the report of ${deployId} is incomplete (${parts.length} of ${String(head.parts)} parts): save it again`,
    );
  }
  return parts.map((item) => String(item.text)).join('');
}

async function readAll(table: DynamoTable, pk: string): Promise<Item[]> {
  return table.query('reading a report', {
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': pk },
    ConsistentRead: true,
  });
}
