/** `config check --aws`: read-only look-ups of a service's AWS resources, loaded on demand. */
import { createAwsClients, verifyAwsResources, type ResourceCheck } from '../aws/index';
import type { NamedService } from '../config/schema';

/** The checks of one service, with SDK clients built from the injected environment (and closed after). */
export async function checkAwsResources(service: NamedService, env: NodeJS.ProcessEnv): Promise<ResourceCheck[]> {
  const clients = createAwsClients(env);
  try {
    return await verifyAwsResources(service, clients);
  } finally {
    clients.destroy();
  }
}
