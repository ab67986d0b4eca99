import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { parse as parseYaml } from 'yaml';
import { startLocalDynamo, type LocalDynamo } from './local-dynamo';
import { checkDynamoTable } from '../../src/store/dynamo-check';
import { TTL_ATTRIBUTE, tableDefinition } from '../../src/store/dynamo-keys';

const TEMPLATE = join(__dirname, '..', '..', 'deploy', 'dynamodb-table.yml');

/** CloudFormation's short tags, read as plain values. */
const CFN_TAGS = ['!Ref', '!GetAtt', '!Sub'].map((tag) => ({ tag, resolve: (value: string) => value }));

describe('deploy/dynamodb-table.yml', () => {
  const template = parseYaml(readFileSync(TEMPLATE, 'utf8'), { customTags: CFN_TAGS }) as {
    Resources: { StateTable: { Type: string; Properties: Record<string, unknown> } };
  };
  const table = template.Resources.StateTable;

  it('declares the key schema and indexes the adapter queries', () => {
    const wanted = tableDefinition('ecs-chatops');
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: wanted.KeySchema,
      GlobalSecondaryIndexes: wanted.GlobalSecondaryIndexes,
    });
    expect(table.Properties.AttributeDefinitions).toEqual(wanted.AttributeDefinitions);
  });

  it('turns on TTL on the attribute the adapter writes, and point-in-time recovery', () => {
    expect(table.Properties).toMatchObject({
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

describe('Function: checkDynamoTable', () => {
  let local: LocalDynamo;

  beforeAll(async () => {
    local = await startLocalDynamo();
  });

  afterAll(async () => {
    await local.close();
  });

  it('accepts a table created from the layout', async () => {
    // Prepare
    await local.createTable('check-good');
    const client = local.client();

    // Act
    const check = await checkDynamoTable({ table: 'check-good', client });
    client.destroy();

    // Assess
    expect(check).toMatchObject({ ok: true, table: 'check-good', problems: [] });
  });

  it('says how to create a missing table', async () => {
    // Prepare
    const client = local.client();

    // Act
    const check = await checkDynamoTable({ table: 'check-missing', region: 'eu-west-1', client });
    client.destroy();

    // Assess
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      'store: DynamoDB table check-missing not found in eu-west-1: create it with deploy/dynamodb-table.yml',
    ]);
  });

  it('names each difference of a table made by hand without the indexes', async () => {
    // Prepare
    const { GlobalSecondaryIndexes: _indexes, ...bare } = tableDefinition('check-bare');
    bare.AttributeDefinitions = bare.AttributeDefinitions.slice(0, 2);
    const client = local.client();
    await client.send(new CreateTableCommand(bare));

    // Act
    const check = await checkDynamoTable({ table: 'check-bare', client });
    client.destroy();

    // Assess
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      expect.stringMatching(/^global secondary index gsi1 is missing .* \(see deploy\/dynamodb-table.yml\)$/),
      expect.stringMatching(/^global secondary index gsi2 is missing/),
    ]);
  });
});
