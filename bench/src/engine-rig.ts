/**
 * The real engine with the real AWS adapters (SDK clients pointed at a simulated world), an
 * in-memory store and the real smoke checks; each change reported to a fake Slack by the real
 * thread reporter through the real WebClient. Records when each event was seen.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { cachedPerRegion, sdkClientConfig, type AwsClients } from '../../src/aws/client-factory';
import { createAwsAdapters } from '../../src/aws/index';
import { parseConfig } from '../../src/config/load';
import type { Config } from '../../src/config/schema';
import { Engine } from '../../src/engine/engine';
import type { ChangeResult, EngineEvent } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/store-port';
import type { Actor } from '../../src/engine/types';
import type { SimWorld } from '../../src/sim/index';
import { createSlackWebClient, createThreadReporter } from '../../src/slack/index';
import { createHttpChecks } from '../../src/smoke/index';
import { openStore } from '../../src/store/index';
import type { FakeSlackApi } from './fake-slack';
import { BENCH_BOT_TOKEN } from './slack-requests';

export const BENCH_ACTOR: Actor = { id: 'UBENCH', name: 'bench', via: 'slack' };
export const BENCH_CHANNEL = 'CBENCH';

export interface SeenEvent {
  /** Epoch ms when the listener got it. */
  at: number;
  event: EngineEvent;
}

export interface DeployOutcome {
  service: string;
  result: ChangeResult;
  startedAt: number;
  finishedAt: number;
  events: SeenEvent[];
}

export interface EngineRig {
  engine: Engine;
  config: Config;
  /** Deploys `tag` to the service (config key), reported in its own Slack thread; resolves after Slack is flushed. */
  deploy(service: string, tag: string): Promise<DeployOutcome>;
  close(): Promise<void>;
}

/** SDK clients for the simulator's endpoint with dummy credentials, like the production ones otherwise. */
export function simClients(world: SimWorld): AwsClients & { destroy(): void } {
  const built: { destroy(): void }[] = [];
  const options = (region: string) => ({
    ...sdkClientConfig(region, world.env),
    endpoint: world.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const track = <C extends { destroy(): void }>(c: C): C => {
    built.push(c);
    return c;
  };
  return {
    ecs: cachedPerRegion((r) => track(new ECSClient(options(r)))),
    ecr: cachedPerRegion((r) => track(new ECRClient(options(r)))),
    elb: cachedPerRegion((r) => track(new ElasticLoadBalancingV2Client(options(r)))),
    logs: cachedPerRegion((r) => track(new CloudWatchLogsClient(options(r)))),
    destroy: () => built.splice(0).forEach((c) => c.destroy()),
  };
}

/**
 * The real engine on `store`, with the world's config, the real AWS adapters on SDK clients pointed
 * at the world, and the real smoke checks. `close` destroys the clients (the store stays open).
 */
export function engineOn(
  world: SimWorld,
  store: StorePort,
  owner?: string,
): { engine: Engine; config: Config; close(): void } {
  const config = parseConfig(world.configYaml);
  const clients = simClients(world);
  const engine = new Engine({ config, ...createAwsAdapters({ clients }), http: createHttpChecks(), store, owner });
  return { engine, config, close: () => clients.destroy() };
}

export function createEngineRig(world: SimWorld, slack: FakeSlackApi): EngineRig {
  const store = openStore(':memory:');
  const { engine, config, close } = engineOn(world, store);
  // One WebClient for every thread, as the bot has.
  const client = createSlackWebClient({ token: BENCH_BOT_TOKEN, slackApiUrl: slack.apiUrl });
  const deploy = async (service: string, tag: string): Promise<DeployOutcome> => {
    const events: SeenEvent[] = [];
    const reporter = createThreadReporter({
      client,
      channel: BENCH_CHANNEL,
      engine,
      config,
      initial: { kind: 'deploy', service, actor: BENCH_ACTOR, sha: tag },
    });
    const startedAt = Date.now();
    let finishedAt = 0;
    const result = await engine.deploy({
      service,
      sha: tag,
      actor: BENCH_ACTOR,
      onStart: reporter.onStart,
      onEvent: (event) => {
        const at = Date.now();
        if (event.type === 'change_finished') finishedAt = at;
        events.push({ at, event });
        reporter.onEvent(event);
      },
    });
    await reporter.flush(30_000);
    reporter.dispose();
    return { service, result, startedAt, finishedAt: finishedAt || Date.now(), events };
  };
  return {
    engine,
    config,
    deploy,
    close: async () => {
      await engine.drain(5000);
      await store.close();
      close();
    },
  };
}
