import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

/** Returns the SDK client for a region. */
export type ClientFactory<C> = (region: string) => C;

/** One factory per AWS service; tests pass their own. */
export interface AwsClients {
  ecs: ClientFactory<ECSClient>;
  ecr: ClientFactory<ECRClient>;
  elb: ClientFactory<ElasticLoadBalancingV2Client>;
  logs: ClientFactory<CloudWatchLogsClient>;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
const RETRY_MODES = new Set(['standard', 'adaptive', 'legacy']);

/** What every client we build shares. */
export interface SdkClientConfig {
  region: string;
  retryMode: string;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

/**
 * Client settings for one region. No endpoint and no credentials are set here on purpose:
 * the SDK then honours `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` and its default
 * credential chain by itself. Retries are the SDK's, a little more patient than its default.
 */
export function sdkClientConfig(region: string, env: NodeJS.ProcessEnv = process.env): SdkClientConfig {
  const mode = env.AWS_RETRY_MODE?.trim().toLowerCase();
  const attempts = Number(env.AWS_MAX_ATTEMPTS);
  return {
    region,
    retryMode: mode && RETRY_MODES.has(mode) ? mode : 'standard',
    maxAttempts: Number.isInteger(attempts) && attempts > 0 ? attempts : DEFAULT_MAX_ATTEMPTS,
    // Without a request timeout a half-open connection could stall a deploy forever.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
}

/**
 * Whether CloudWatch Logs calls go to an endpoint of the user's (a simulator, a proxy). StartLiveTail
 * is sent to `stream-<host>` on AWS; such an endpoint is used as it is.
 */
export function customLogsEndpoint(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS ?? env.AWS_ENDPOINT_URL);
}

/** Wraps `create` so that each region's client is built on first use and then reused. */
export function cachedPerRegion<C>(create: (region: string) => C): ClientFactory<C> {
  const clients = new Map<string, C>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}

/** The production clients: lazily created, one per service and region. */
export function createAwsClients(env: NodeJS.ProcessEnv = process.env): AwsClients & { destroy(): void } {
  const built: { destroy(): void }[] = [];
  const track = <C extends { destroy(): void }>(client: C): C => {
    built.push(client);
    return client;
  };
  return {
    ecs: cachedPerRegion((region) => track(new ECSClient(sdkClientConfig(region, env)))),
    ecr: cachedPerRegion((region) => track(new ECRClient(sdkClientConfig(region, env)))),
    elb: cachedPerRegion((region) => track(new ElasticLoadBalancingV2Client(sdkClientConfig(region, env)))),
    logs: cachedPerRegion((region) =>
      track(new CloudWatchLogsClient({ ...sdkClientConfig(region, env), disableHostPrefix: customLogsEndpoint(env) })),
    ),
    /** Closes the sockets of every client built so far. */
    destroy() {
      for (const client of built.splice(0)) client.destroy();
    },
  };
}
