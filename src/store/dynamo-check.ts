/**
 * `config check --aws` for a DynamoDB store: the table exists, is ACTIVE, and has the key
 * schema and indexes the adapter queries (dynamo-keys.ts). One DescribeTable call.
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { describeError } from '../errors';
import { tableDefinition } from './dynamo-keys';
import { DynamoTable, type DynamoTableOptions } from './dynamo-table';

export interface TableCheck {
  ok: boolean;
  table: string;
  region: string;
  /** One line per problem, each saying what to change; empty when ok. */
  problems: string[];
}

interface KeyElement {
  AttributeName?: string;
  KeyType?: string;
}
const keyText = (schema: KeyElement[] | undefined) =>
  (schema ?? []).map((k) => `${k.AttributeName ?? '?'}:${k.KeyType ?? '?'}`).join(', ');

/** What in `actual` differs from the layout the adapter needs; empty when nothing. */
function tableProblems(actual: TableDescription, table: string): string[] {
  const wanted = tableDefinition(table);
  const problems: string[] = [];
  if (actual.TableStatus !== 'ACTIVE') problems.push(`table status is ${actual.TableStatus ?? 'unknown'}, not ACTIVE`);
  if (keyText(actual.KeySchema) !== keyText(wanted.KeySchema)) {
    problems.push(`key schema is [${keyText(actual.KeySchema)}], needs [${keyText(wanted.KeySchema)}]`);
  }
  const types = new Map((actual.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  for (const attribute of wanted.AttributeDefinitions) {
    const type = types.get(attribute.AttributeName);
    if (type !== undefined && type !== 'S')
      problems.push(`attribute ${attribute.AttributeName} is of type ${type}, needs S (string)`);
  }
  for (const index of wanted.GlobalSecondaryIndexes) {
    const found = actual.GlobalSecondaryIndexes?.find((g) => g.IndexName === index.IndexName);
    if (!found) {
      problems.push(
        `global secondary index ${index.IndexName} is missing (keys ${keyText(index.KeySchema)}, projection ALL)`,
      );
      continue;
    }
    if (keyText(found.KeySchema) !== keyText(index.KeySchema)) {
      problems.push(
        `index ${index.IndexName} has keys [${keyText(found.KeySchema)}], needs [${keyText(index.KeySchema)}]`,
      );
    }
    if (found.Projection?.ProjectionType !== 'ALL')
      problems.push(`index ${index.IndexName} projects ${found.Projection?.ProjectionType ?? 'nothing'}, needs ALL`);
    if (found.IndexStatus !== undefined && found.IndexStatus !== 'ACTIVE')
      problems.push(`index ${index.IndexName} is ${found.IndexStatus}, not ACTIVE yet`);
  }
  return problems;
}

/** Never throws: a missing table or refused access comes back as a problem. */
export async function checkDynamoTable(options: DynamoTableOptions): Promise<TableCheck> {
  const table = new DynamoTable(options);
  const { ref } = table;
  try {
    const problems = tableProblems(await table.describe(), ref.table).map(
      (p) => `${p} (see deploy/dynamodb-table.yml)`,
    );
    return { ok: problems.length === 0, ...ref, problems };
  } catch (e) {
    return { ok: false, ...ref, problems: [describeError(e, 500)] };
  } finally {
    table.close();
  }
}
