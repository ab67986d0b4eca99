/** Points an e2e world's processes at a fresh table of the local DynamoDB server, as bot replicas and CI share one. */
import { DynamoStore } from '../../src/store/dynamo-store';
import type { LocalDynamo } from '../store/local-dynamo';
import type { E2eWorld } from './helpers';

/**
 * Creates `table`, sets the world's environment to use it with a 2-second lease, and returns the
 * table as a third process reads it (the caller closes it).
 */
export async function shareTable(local: LocalDynamo, e: E2eWorld, table: string): Promise<DynamoStore> {
  await local.createTable(table);
  Object.assign(e.env, {
    ECS_CHATOPS_STORE: `dynamodb://${table}`,
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    ECS_CHATOPS_LEASE_TTL: '2s',
    // All processes here read one clock: no skew to allow for before a takeover.
    ECS_CHATOPS_CLOCK_SKEW: '0s',
  });
  return new DynamoStore({ table, client: local.client() });
}
