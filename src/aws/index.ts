/**
 * The AWS adapters: one per service, SDK in, domain values out.
 * This is the only module the composition root needs from here.
 */
import type { NamedService } from '../config/schema';
import type { EcrPort, EcsPort, ElbPort, LogsPort } from '../engine/ports';
import type { Logger } from '../logger';
import { createAwsClients, type AwsClients } from './client-factory';
import { EcrAdapter } from './ecr-adapter';
import { EcsAdapter } from './ecs-adapter';
import { ElbAdapter } from './elb-adapter';
import { LogsAdapter } from './logs-adapter';
import { runResourceChecks, type ResourceCheck } from './verify';

export interface AwsAdapters {
  ecr: EcrPort;
  ecs: EcsPort;
  elb: ElbPort;
  logs: LogsPort;
}

export interface AwsAdapterOptions {
  logger?: Logger;
  /** Client factories to use instead of the SDK defaults (tests, custom set-ups). */
  clients?: AwsClients;
}

/**
 * Builds the four adapters. Clients are created on first use, one per region, with the SDK's
 * default credential chain, its `AWS_ENDPOINT_URL*` handling, and `AWS_RETRY_MODE` /
 * `AWS_MAX_ATTEMPTS` (defaults `standard`, 5). Never throws.
 */
export function createAwsAdapters(options: AwsAdapterOptions = {}): AwsAdapters {
  const clients = options.clients ?? createAwsClients();
  options.logger?.debug({ injected: options.clients !== undefined }, 'aws adapters ready');
  return {
    ecr: new EcrAdapter(clients.ecr),
    ecs: new EcsAdapter(clients.ecs, { logger: options.logger }),
    elb: new ElbAdapter(clients.elb),
    logs: new LogsAdapter(clients.logs),
  };
}

/**
 * Read-only checks that the service's cluster, service, current task definition (and its container),
 * ECR repository, target group and log group (when configured) exist and can be read.
 * Each result names the resource and, when not ok, whether it is missing or not readable.
 * Never throws for AWS failures; they come back as failed checks.
 */
export async function verifyAwsResources(service: NamedService, clients?: AwsClients): Promise<ResourceCheck[]> {
  if (clients) return runResourceChecks(service, clients);
  const owned = createAwsClients();
  try {
    return await runResourceChecks(service, owned);
  } finally {
    owned.destroy();
  }
}

export { AwsErrorCodes, toCodedError } from './aws-errors';
export {
  cachedPerRegion,
  createAwsClients,
  sdkClientConfig,
  type AwsClients,
  type ClientFactory,
} from './client-factory';
export { EcrAdapter } from './ecr-adapter';
export { EcsAdapter } from './ecs-adapter';
export { ElbAdapter } from './elb-adapter';
export { LogsAdapter } from './logs-adapter';
export type { ResourceCheck } from './verify';
