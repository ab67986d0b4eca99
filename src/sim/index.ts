/**
 * A simulated AWS world for end-to-end tests, benchmarks and the no-account demo:
 * a fake AWS endpoint (ECS, ECR, ELBv2, CloudWatch Logs over their real wire protocols),
 * ECS deployments that progress over time, and a fake application behind a fake load balancer.
 */
import type { Server } from 'node:http';
import { handleAppRequest, handleHttpRequest } from './app-server';
import { startAwsServer } from './aws-server';
import { CallLog, type SimCall } from './calls';
import { buildConfigYaml } from './config-yaml';
import type { SimControl } from './control';
import { FaultInjector } from './faults';
import { closeServer, listen } from './listen';
import { allServices, DEFAULT_KNOBS, REGION, type RolloutMark, type SimKnobs, type SimState } from './model';
import { stepWorld } from './rollout';
import { SCENARIOS, toScenario } from './scenarios';
import { DEMO_REPOSITORY, seedWorld } from './seed';
import { createSleeper } from './sleeper';
import { TEST_TRAFFIC_HEADER } from './elb-handlers';
import { configureServices, isBlueGreenScenario } from './strategies';
import { startFakeGitHub } from './github';
import { DEMO_GITHUB_REPOSITORY, demoCommits } from './github-seed';

export { SCENARIOS } from './scenarios';
export type { ScenarioName } from './scenarios';
export type { SimCall } from './calls';
export type { RolloutMark, SimKnobs } from './model';
export { fetchSimCalls, setSimKnobs, setSimScenario } from './sim-client';

export interface SimWorldOptions {
  /** One of SCENARIOS (default `healthy`). */
  scenario?: string;
  /** Time per simulated ECS step (one task starts, runs, fails or stops). Default 300 ms. */
  paceMs?: number;
  /** Fake AWS endpoint port (default: ephemeral). */
  port?: number;
  /** Fake app port of the first service (default: ephemeral). */
  appPort?: number;
  /** Plain-HTTP ("port 80") listener port (default: ephemeral). */
  httpPort?: number;
  /** Services in all (default 1). Extra ones are `demo-backend-2`, … with config keys `backend-2`, …. */
  services?: number;
  /** Clusters the services are spread over (default 1). */
  clusters?: number;
  /** Desired count of every service (default 2). */
  desiredCount?: number;
  /** No timers: time moves only when `step()` is called. */
  manual?: boolean;
  /** How long AWS takes to answer in the `slow` scenario (default 1000 ms). */
  slowMs?: number;
  /** How long the app takes to answer in the `slow-app` scenario (default 2500 ms). */
  slowAppMs?: number;
  /** `timeouts.poll` written into the config (default 500 ms, or less for a fast pace). */
  pollMs?: number;
  /** `blueGreen.autoContinue` written into the config of a world that starts in a blue/green scenario (default false). */
  autoContinue?: boolean;
  /** The service-deployment calls: `available` (default), `missing`, `denied` or `html-500`. */
  serviceDeploymentsApi?: SimKnobs['serviceDeploymentsApi'];
  /** StartLiveTail answered, missing, denied or html-500 (default available). */
  liveTailApi?: SimKnobs['liveTailApi'];
  /** How long reads lag writes in the `eventual-consistency` scenario (default 3000 ms). */
  consistencyLagMs?: number;
  /** Reads lag writes in every scenario, not only `eventual-consistency` (default false). */
  staleReadsEverywhere?: boolean;
  /** How long one ECS minute (bake time, hook timeouts, linear/canary steps) lasts (default 10 × pace). */
  minuteMs?: number;
  /** How long the reads answer 500 after an UpdateService in the `outage` scenario (simulated clock; default 30000 ms). */
  outageMs?: number;
  /** Also a staging service `backend-staging` (its own cluster, app and target group) that `backend` promotes from. */
  staging?: boolean;
}

export interface SimWorld {
  /** The fake AWS endpoint (`http://127.0.0.1:PORT`). */
  endpoint: string;
  /** The first service's app, as its load balancer would serve it. */
  appUrl: string;
  /** The plain-HTTP listener that redirects to HTTPS. */
  httpUrl: string;
  /** The first service's test listener: green during a blue/green-family deployment, else what production serves. */
  testUrl: string;
  /** A header that sends a request to the production URL through the test listener rule instead. */
  testHeader: { name: string; value: string };
  /** AWS_ENDPOINT_URL, AWS_REGION, dummy credentials, AWS_MAX_ATTEMPTS and GITHUB_API_URL (the fake GitHub) for a process using the world. */
  env: Record<string, string>;
  /** A valid ecs-chatops config for the seeded services. */
  configYaml: string;
  /** The services' config keys (`backend`, `backend-2`, …). */
  services: string[];
  /** The images in the `demo-backend` repository, oldest first; the first one is running. */
  images: { tag: string; sha: string; digest: string }[];
  /** Every AWS call that reached the simulator, in order (retries included). */
  calls(): SimCall[];
  clearCalls(): void;
  /** When each rollout reached COMPLETED or FAILED (wall clock), oldest first. */
  rolloutMarks(): RolloutMark[];
  scenario(): string;
  /**
   * Switches the scenario for the next deployment (and AWS-level faults from now on).
   * @throws Error for an unknown scenario name.
   */
  setScenario(name: string): void;
  /** Advances every service by `count` steps at once (any pace). */
  step(count?: number): void;
  /** Moves the simulated clock forward (lag expiry, bake time, hook expiry, the end of an outage); steps nothing by itself. */
  advanceClock(ms: number): void;
  knobs(): SimKnobs;
  /** Turns control knobs (missing/denied service-deployment API, consistency lag, the ECS minute, the outage's length). */
  setKnobs(knobs: Partial<SimKnobs>): void;
  /** Stops timers and servers. */
  close(): Promise<void>;
}

interface Listeners {
  servers: Server[];
  endpoint: string;
  /** App URL per ECS service name. */
  appUrls: Map<string, string>;
  /** Test-listener URL per ECS service name. */
  testUrls: Map<string, string>;
  httpUrl: string;
  /** The fake GitHub's API base. */
  githubUrl: string;
}

/** Binds the AWS endpoint, one app per service and the plain-HTTP listener; on failure closes what was bound. */
async function startListeners(
  state: SimState,
  options: SimWorldOptions,
  hooks: {
    control: SimControl;
    sleep: (ms: number) => Promise<void>;
    record: (call: SimCall) => void;
    onFailure: () => void;
  },
): Promise<Listeners> {
  const servers: Server[] = [];
  const appDeps = { state, sleep: hooks.sleep, slowAppMs: options.slowAppMs ?? 2500 };
  const services = allServices(state);
  try {
    const faults = new FaultInjector(options.slowMs ?? 1000);
    const aws = await startAwsServer(
      { state, faults, control: hooks.control, record: hooks.record, sleep: hooks.sleep },
      options.port,
    );
    servers.push(aws.server);
    const appUrls = new Map<string, string>();
    const testUrls = new Map<string, string>();
    for (const [i, service] of services.entries()) {
      const app = await listen(
        (req, res) => handleAppRequest(appDeps, service, req, res),
        i === 0 ? options.appPort : 0,
      );
      servers.push(app.server);
      appUrls.set(service.name, app.url);
      const test = await listen((req, res) => handleAppRequest(appDeps, service, req, res, 'test'));
      servers.push(test.server);
      testUrls.set(service.name, test.url);
    }
    const http = await listen((req, res) => handleHttpRequest(appDeps, services[0], req, res), options.httpPort);
    servers.push(http.server);
    const github = await startFakeGitHub(DEMO_GITHUB_REPOSITORY, demoCommits(state.images.get(DEMO_REPOSITORY) ?? []));
    servers.push(github.server);
    return { servers, endpoint: aws.url, appUrls, testUrls, httpUrl: http.url, githubUrl: github.url };
  } catch (e) {
    hooks.onFailure();
    await Promise.all(servers.map(closeServer));
    throw e;
  }
}

/**
 * Starts a simulated AWS world on 127.0.0.1: seeds `demo-cluster` / `demo-backend` (and any extra
 * services), then serves the fake AWS endpoint, the app and the plain-HTTP listener.
 * @throws Error for an unknown scenario, or when a port cannot be bound (nothing is left running).
 */
export async function startSimWorld(options: SimWorldOptions = {}): Promise<SimWorld> {
  const paceMs = Math.max(1, options.paceMs ?? 300);
  const state = seedWorld({
    scenario: toScenario(options.scenario ?? 'healthy'),
    services: options.services ?? 1,
    clusters: options.clusters ?? 1,
    desiredCount: options.desiredCount ?? 2,
    staging: options.staging,
  });
  const calls = new CallLog();
  const sleeper = createSleeper();
  state.knobs = {
    serviceDeploymentsApi: options.serviceDeploymentsApi ?? DEFAULT_KNOBS.serviceDeploymentsApi,
    liveTailApi: options.liveTailApi ?? DEFAULT_KNOBS.liveTailApi,
    consistencyLagMs: options.consistencyLagMs ?? DEFAULT_KNOBS.consistencyLagMs,
    staleReadsEverywhere: options.staleReadsEverywhere ?? DEFAULT_KNOBS.staleReadsEverywhere,
    minuteMs: options.minuteMs ?? paceMs * 10,
    outageMs: options.outageMs ?? DEFAULT_KNOBS.outageMs,
  };
  const setScenario = (name: string): void => {
    state.scenario = toScenario(name);
    configureServices(allServices(state), state.scenario);
  };
  const setKnobs = (knobs: Partial<SimKnobs>): void => {
    state.knobs = checkKnobs({ ...state.knobs, ...knobs });
  };
  const advanceClock = (ms: number): void => {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('advanceClock needs a non-negative number of milliseconds');
    state.clockOffsetMs += ms;
  };
  const control: SimControl = {
    calls: () => calls.list(),
    clearCalls: () => calls.clear(),
    scenario: () => state.scenario,
    setScenario,
    knobs: () => ({ ...state.knobs }),
    setKnobs,
    advanceClock,
  };
  const services = allServices(state);
  const { servers, endpoint, appUrls, testUrls, httpUrl, githubUrl } = await startListeners(state, options, {
    control,
    sleep: sleeper.sleep,
    record: (c) => calls.record(c),
    onFailure: () => sleeper.cancelAll(),
  });
  const ticker = options.manual ? undefined : setInterval(() => stepWorld(state), paceMs);
  ticker?.unref();
  const pollMs = options.pollMs ?? (paceMs >= 300 ? 500 : Math.max(20, paceMs * 2));
  let closed = false;
  return {
    endpoint,
    appUrl: appUrls.get(services[0].name) ?? '',
    httpUrl,
    testUrl: testUrls.get(services[0].name) ?? '',
    testHeader: { ...TEST_TRAFFIC_HEADER },
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_MAX_ATTEMPTS: '5',
      GITHUB_API_URL: githubUrl,
    },
    configYaml: buildConfigYaml(services, {
      endpoint,
      appUrls,
      testUrls,
      httpUrl,
      pollMs,
      blueGreen: isBlueGreenScenario(state.scenario),
      autoContinue: options.autoContinue,
    }),
    services: services.map((s) => s.key),
    images: (state.images.get(DEMO_REPOSITORY) ?? []).map(({ tag, sha, digest }) => ({ tag, sha, digest })),
    calls: () => calls.list(),
    clearCalls: () => calls.clear(),
    rolloutMarks: () => (state.marks ?? []).map((m) => ({ ...m })),
    scenario: () => state.scenario,
    setScenario,
    step: (count = 1) => {
      for (let i = 0; i < count; i += 1) stepWorld(state);
    },
    advanceClock,
    knobs: () => ({ ...state.knobs }),
    setKnobs,
    close: async () => {
      if (closed) return;
      closed = true;
      if (ticker) clearInterval(ticker);
      sleeper.cancelAll();
      await Promise.all(servers.map(closeServer));
    },
  };
}

/**
 * Checks knob values.
 * @throws Error naming the bad knob.
 */
function checkKnobs(knobs: SimKnobs): SimKnobs {
  if (!['available', 'missing', 'denied', 'html-500'].includes(knobs.serviceDeploymentsApi)) {
    throw new Error('serviceDeploymentsApi must be available, missing, denied or html-500');
  }
  if (!['available', 'missing', 'denied', 'html-500'].includes(knobs.liveTailApi)) {
    throw new Error('liveTailApi must be available, missing, denied or html-500');
  }
  if (typeof knobs.staleReadsEverywhere !== 'boolean') throw new Error('staleReadsEverywhere must be true or false');
  for (const key of ['consistencyLagMs', 'minuteMs', 'outageMs'] as const) {
    if (typeof knobs[key] !== 'number' || !Number.isFinite(knobs[key]) || knobs[key] < 0)
      throw new Error(`${key} must be a non-negative number`);
  }
  return knobs;
}

/** Scenario names with their one-line descriptions, for help texts. */
export function describeScenarios(): string {
  const width = Math.max(...Object.keys(SCENARIOS).map((k) => k.length));
  return Object.entries(SCENARIOS)
    .map(([name, text]) => `  ${name.padEnd(width)}  ${text}`)
    .join('\n');
}
