/** `config check --aws`: read-only look-ups of a service's AWS resources and of the store's table, loaded on demand. */
import { createAwsClients, verifyAwsResources, type ResourceCheck } from '../aws/index';
import type { NamedService } from '../config/schema';
import { checkDynamoTable } from '../store/dynamo-check';
import type { StoreSpec } from '../store/open-store';

/** The checks of one service, with SDK clients built from the injected environment (and closed after). */
export async function checkAwsResources(service: NamedService, env: NodeJS.ProcessEnv): Promise<ResourceCheck[]> {
  const clients = createAwsClients(env);
  try {
    return await verifyAwsResources(service, clients);
  } finally {
    clients.destroy();
  }
}

/** A DynamoDB store's table: ACTIVE, with the key schema and indexes the adapter queries. Nothing to check for SQLite. */
export async function checkStore(spec: StoreSpec): Promise<ResourceCheck[]> {
  if (spec.kind !== 'dynamodb') return [];
  const check = await checkDynamoTable({ table: spec.table, region: spec.region, endpoint: spec.endpoint });
  const resource = 'DynamoDB table';
  if (check.ok)
    return [
      {
        resource,
        name: spec.table,
        ok: true,
        detail: `ACTIVE in ${check.region}, key schema and indexes as the store needs`,
      },
    ];
  return check.problems.map((problem) => ({ resource, name: spec.table, ok: false, detail: problem }));
}
