/**
 * One DynamoDB table through the document client: each call is one SDK command, its errors
 * turned into `store_error` and a refused condition into a value. The SDK retries throttling
 * and transient faults itself, with the same retry and timeout settings as the other AWS clients.
 */
import { DescribeTableCommand, DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { sdkClientConfig } from '../aws/client-factory';
import { CodedError, ErrorCodes } from '../errors';
import { dynamoError, isConditionFailed, type TableRef } from './dynamo-errors';

export type Item = Record<string, unknown>;
export interface Key {
  pk: string;
  sk: string;
}

export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface DynamoTableOptions {
  table: string;
  /** Default: AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string;
  /** A DynamoDB-compatible endpoint (local servers, tests); default AWS_ENDPOINT_URL or AWS's. */
  endpoint?: string;
  /** Attempts per call, throttling included (default AWS_MAX_ATTEMPTS, else 5). */
  maxAttempts?: number;
  /** A ready client (tests, shared clients); region and endpoint are then its own. */
  client?: DynamoDBClient;
}

export class DynamoTable {
  readonly ref: TableRef;
  private readonly raw: DynamoDBClient;
  private readonly doc: DynamoDBDocumentClient;
  private readonly ownsClient: boolean;
  private closed = false;

  constructor(options: DynamoTableOptions) {
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.ref = { table: options.table, region };
    this.ownsClient = !options.client;
    const shared = sdkClientConfig(region);
    this.raw =
      options.client ??
      new DynamoDBClient({
        ...shared,
        endpoint: options.endpoint,
        maxAttempts: options.maxAttempts ?? shared.maxAttempts,
      });
    this.doc = DynamoDBDocumentClient.from(this.raw, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Strongly consistent read of one item. */
  async get(what: string, key: Key): Promise<Item | undefined> {
    const out = await this.call(what, 'dynamodb:GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.ref.table, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  /** Writes `item` and returns the item it replaced (undefined if none); null when `condition` refused it. */
  async put(what: string, item: Item, condition?: Condition): Promise<Item | undefined | null> {
    const out = await this.conditional(what, 'dynamodb:PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.ref.table,
          Item: item,
          ReturnValues: 'ALL_OLD',
          ...conditionInput(condition),
        }),
      ),
    );
    return out === null ? null : out.Attributes;
  }

  /** Sets `attributes` on one item and returns it as it is now; null when `condition` refused it. */
  async update(what: string, key: Key, attributes: Item, condition?: Condition): Promise<Item | null> {
    const set = setExpression(attributes);
    const input: UpdateCommandInput = {
      TableName: this.ref.table,
      Key: key,
      UpdateExpression: set.UpdateExpression,
      ExpressionAttributeNames: { ...set.names, ...condition?.names },
      ExpressionAttributeValues: { ...set.values, ...condition?.values },
      ConditionExpression: condition?.expression,
      ReturnValues: 'ALL_NEW',
    };
    const out = await this.conditional(what, 'dynamodb:UpdateItem', () => this.doc.send(new UpdateCommand(input)));
    return out && (out.Attributes ?? {});
  }

  /** Deletes one item and returns what it was (undefined if nothing was there); null when the condition refused it. */
  async delete(what: string, key: Key, condition?: Condition): Promise<Item | undefined | null> {
    const out = await this.conditional(what, 'dynamodb:DeleteItem', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.ref.table,
          Key: key,
          ReturnValues: 'ALL_OLD',
          ...conditionInput(condition),
        }),
      ),
    );
    return out === null ? null : out.Attributes;
  }

  /** Pages through a query until `limit` items matched (all of them without a limit). */
  async query(
    what: string,
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
    limit = Infinity,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const pageLimit = input.FilterExpression || !Number.isFinite(limit) ? input.Limit : limit - items.length;
      const out = await this.call(what, 'dynamodb:Query', () =>
        this.doc.send(
          new QueryCommand({ ...input, Limit: pageLimit, TableName: this.ref.table, ExclusiveStartKey: start }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items.slice(0, limit);
  }

  async describe(): Promise<TableDescription> {
    const out = await this.call('describing the table', 'dynamodb:DescribeTable', () =>
      this.raw.send(new DescribeTableCommand({ TableName: this.ref.table })),
    );
    return out.Table ?? {};
  }

  /** Idempotent; a client passed in stays open for its owner. */
  close(): void {
    if (!this.closed && this.ownsClient) this.raw.destroy();
    this.closed = true;
  }

  private async call<T>(what: string, action: string, send: () => Promise<T>): Promise<T> {
    this.assertOpen(what);
    try {
      return await send();
    } catch (e) {
      throw dynamoError(this.ref, what, action, e);
    }
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new CodedError(ErrorCodes.storeError, `store: ${what} failed: the DynamoDB store is closed`);
  }

  private async conditional<T>(what: string, action: string, send: () => Promise<T>): Promise<T | null> {
    this.assertOpen(what);
    try {
      return await send();
    } catch (e) {
      if (isConditionFailed(e)) return null;
      throw dynamoError(this.ref, what, action, e);
    }
  }
}

/** Builds `SET #f0 = :f0, …` for `attributes`, names and values bound (no reserved-word surprises). */
function setExpression(attributes: Item): {
  UpdateExpression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(attributes).map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  return { UpdateExpression: `SET ${sets.join(', ')}`, names, values };
}

function conditionInput(condition: Condition | undefined) {
  if (!condition) return {};
  return {
    ConditionExpression: condition.expression,
    ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
    ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
  };
}
