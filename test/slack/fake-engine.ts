/**
 * The engine the Slack tests run on: the real Engine over the fake AWS ports and an in-memory
 * SQLite store, so locks, approvals, history, the audit log and refusals are the engine's own.
 * What stays in the tests' hands: `hold()` keeps a rollout in flight, `holdSmoke()` keeps smoke
 * runs waiting, `failStatus()` makes a service's reads fail or hang, `paceMs` slows a change down;
 * `calls` records what Slack asked for, and `change('d-1')` names changes in the order they began.
 */
import type { NamedService } from '../../src/config/schema';
import type { DeployRecord } from '../../src/engine/model';
import type { SlackEngine } from '../../src/slack/deps';
import { createTestEngine, FakeClock, FakeHttpChecks, REGISTRY, type TestEngine } from '../fakes';
import type { JsonDoc } from '../json';

/** Named releases: what each service runs at first, and the images `/deploy` finds in ECR. */
export const RELEASES = {
  running: { sha: '5eed5eed0123456789abcdef0123456789abcdef', digest: `sha256:${'cd'.repeat(32)}` },
  previous: { sha: '01dc0de0123456789abcdef0123456789abcdef0', digest: `sha256:${'12'.repeat(32)}` },
  abc1234: { sha: 'abc1234ffffffffffffffffffffffffffffffff0', digest: `sha256:${'ab'.repeat(32)}` },
  def5678: { sha: 'def5678eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee0', digest: `sha256:${'ef'.repeat(32)}` },
};

/** Lines the services log while a test runs (stamped ahead, so every window since its start holds them). */
export const LOG_LINES = ['ERROR payment gateway timeout after 30000ms', 'ERROR cache miss storm'];

const SMOKE_CHECKS = [
  'readiness',
  'https',
  'auth',
  'cors',
  'security_headers',
  'response_time',
  'error_format',
  'root',
];

/** Engine time: the test's real time plus every sleep skipped, so rollouts take milliseconds while approvals still expire. */
class SlackClock extends FakeClock {
  private readonly realStart = Date.now();
  /** While true, sleeps wait in real time and engine time stands still. */
  holding: () => boolean = () => false;
  /** Real milliseconds each sleep takes too. */
  paceMs = 0;

  constructor() {
    super(Date.now());
  }

  override now(): number {
    return this.current + (Date.now() - this.realStart);
  }

  override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.paceMs) await realDelay(this.paceMs);
    if (this.holding() && !signal?.aborted) return realDelay(5);
    return super.sleep(ms, signal);
  }
}

/** The ten smoke checks, the version check comparing SHAs as the fake world runs them; `hold()` keeps runs waiting. */
class SlackHttpChecks extends FakeHttpChecks {
  gate: Promise<void> | null = null;

  override async runSmoke(...args: Parameters<FakeHttpChecks['runSmoke']>): ReturnType<FakeHttpChecks['runSmoke']> {
    if (this.gate) await this.gate;
    const run = await super.runSmoke(...args);
    const named = new Set(run.results.map((r) => r.name));
    const rest = SMOKE_CHECKS.filter((n) => !named.has(n)).map((name) => ({
      name,
      title: name.replace('_', ' '),
      severity: 'fail' as const,
      status: 'pass' as const,
      ms: 12,
      reason: 'ok',
    }));
    return { ...run, results: [...run.results, ...rest] };
  }
}

export interface Call {
  method: string;
  args: JsonDoc;
}

/** What Slack asks the engine to do (reads that cost AWS or production included), recorded in order. */
const RECORDED = [
  'deploy',
  'rollback',
  'stop',
  'restart',
  'cancel',
  'smoke',
  'logs',
  'decideApproval',
  'promote',
  'rollbackPaused',
];

export class FakeEngine {
  readonly te: TestEngine;
  readonly engine: SlackEngine;
  readonly calls: Call[] = [];
  /** Change ids in the order the changes began; `d-1` is the first. */
  readonly ids: string[] = [];
  private readonly clock = new SlackClock();
  private readonly http: SlackHttpChecks;

  /** The engine on a seeded world: see `seed` and `seedHistory`. */
  static async start(configYaml: string, options: { paceMs?: number } = {}): Promise<FakeEngine> {
    const fake = new FakeEngine(configYaml, options);
    await fake.seedHistory();
    return fake;
  }

  private constructor(configYaml: string, options: { paceMs?: number }) {
    let http!: SlackHttpChecks;
    this.te = createTestEngine({
      configYaml,
      seed: false,
      clock: this.clock,
      owner: 'slack-test:1',
      http: (world) => (http = new SlackHttpChecks(world)),
    });
    this.http = http;
    this.clock.paceMs = options.paceMs ?? 0;
    this.seed();
    this.engine = this.recording(this.te.engine);
  }

  get services(): NamedService[] {
    return this.te.engine.services;
  }

  /** Keeps rollouts from now on in flight (ECS makes no progress, engine time stands still) until the returned function is called. */
  hold(): () => void {
    const { world } = this.te;
    world.next = 'stuck';
    const stuck = () => [...world.services.values()].filter((s) => s.scenario === 'stuck');
    this.clock.holding = () =>
      stuck().some((s) => s.deployments.some((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS'));
    return () => {
      world.next = 'healthy';
      for (const s of stuck()) s.scenario = 'healthy';
      this.clock.holding = () => false;
    };
  }

  /** Holds smoke runs until the returned function is called. */
  holdSmoke(): () => void {
    let release!: () => void;
    this.http.gate = new Promise<void>((r) => (release = r));
    return () => {
      this.http.gate = null;
      release();
    };
  }

  /** Reads of `service` from ECS fail (AccessDenied) or never answer. */
  failStatus(service: string, how: 'error' | 'hang'): void {
    const ecsName = this.service(service).service;
    const ecs = this.te.world.ecs;
    const describe = ecs.describeServices;
    ecs.describeServices = async (region, cluster, names) => {
      if (!names.includes(ecsName)) return describe(region, cluster, names);
      if (how === 'hang') return new Promise(() => undefined);
      throw new Error(`describe ${ecsName} failed: AccessDenied`);
    };
  }

  /** A change by its order (`d-1`, `d-2`, …) or its id. */
  async change(name: string): Promise<DeployRecord | undefined> {
    return this.te.engine.getChange(this.idOf(name));
  }

  /** The id behind `d-N`, or `name` itself. */
  idOf(name: string): string {
    const n = /^d-(\d+)$/.exec(name);
    return (n && this.ids[Number(n[1]) - 1]) || name;
  }

  /** The audit log, oldest first. */
  async audits() {
    return (await this.te.store.listAudit({ limit: 1000 })).reverse();
  }

  async approvals() {
    return this.te.store.listApprovals({});
  }

  /** The desired count ECS holds for `service`. */
  desired(service: string): number | undefined {
    return this.ecsService(service)?.desired;
  }

  /** The state an emergency stop leaves: nothing running, `count` kept for a restart. */
  async stopped(service: string, count: number): Promise<void> {
    await this.te.store.setKeptCount(service, count);
    const s = this.ecsService(service)!;
    s.desired = 0;
    for (const d of s.deployments) Object.assign(d, { desiredCount: 0, runningCount: 0 });
  }

  async close(): Promise<void> {
    await this.te.engine.drain(1000);
    await this.te.store.close();
  }

  private service(name: string): NamedService {
    return this.services.find((s) => s.name === name)!;
  }

  private ecsService(name: string) {
    const svc = this.service(name);
    return this.te.world.services.get(`${svc.cluster}/${svc.service}`);
  }

  /** Every service at revision 41 of its own family, the one before at 40; the releases tagged in ECR (besides the fake's own); the log lines. */
  private seed(): void {
    const { world, clock } = this.te;
    for (const svc of this.services) {
      world.addTaskDefinition(
        svc.name,
        40,
        `${REGISTRY}/${svc.ecrRepository}@${RELEASES.previous.digest}`,
        svc.container,
      );
      world.seedService({
        cluster: svc.cluster,
        name: svc.service,
        family: svc.name,
        revision: 41,
        container: svc.container,
        imageUri: `${REGISTRY}/${svc.ecrRepository}@${RELEASES.running.digest}`,
      });
    }
    for (const r of Object.values(RELEASES)) world.images.set(r.sha.slice(0, 7), r);
    for (const message of LOG_LINES) world.logs.push({ timestamp: new Date(clock.now() + 3_600_000), message });
  }

  /** The deploy that put the running release on revision 41 (so the engine knows which SHA runs). */
  private async seedHistory(): Promise<void> {
    const at = new Date(this.clock.now() - 86_400_000).toISOString();
    for (const svc of this.services) {
      const td = `arn:aws:ecs:us-east-1:123456789012:task-definition/${svc.name}:41`;
      await this.te.store.insertDeploy({
        id: `d-seed-${svc.name}`,
        kind: 'deploy',
        service: svc.name,
        sha: RELEASES.running.sha.slice(0, 7),
        digest: RELEASES.running.digest,
        image: null,
        fromTaskDefinition: td.replace(':41', ':40'),
        toTaskDefinition: td,
        finalTaskDefinition: td,
        outcome: 'succeeded',
        actor: { id: 'URELEASER', name: 'releaser', via: 'cli' },
        startedAt: at,
        finishedAt: at,
        phases: [],
        result: null,
        owner: 'slack-test:0',
        slack: null,
        reportPath: null,
      });
    }
  }

  /** The engine's Slack roles, recording each call Slack makes of `RECORDED` (callbacks left out) and the ids of the changes it starts. */
  private recording(engine: SlackEngine): SlackEngine {
    const named: Partial<Record<string, (args: JsonDoc[]) => JsonDoc>> = {
      smoke: ([service, expectSha]) => ({ service, expectSha }),
      cancel: ([changeId, actor]) => ({ changeId, actor }),
      decideApproval: ([id, decision, by]) => ({ id, decision, by: by.id }),
    };
    return new Proxy(engine, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        if (!RECORDED.includes(prop)) return value.bind(target);
        return (...args: unknown[]) => {
          const first = (args[0] ?? {}) as JsonDoc;
          const { onEvent: _e, onStart, ...rest } = first;
          this.calls.push({ method: prop, args: named[prop]?.(args as JsonDoc[]) ?? rest });
          if (typeof onStart === 'function') {
            args[0] = { ...first, onStart: (id: string) => (this.ids.push(id), onStart(id)) };
          } else if (['deploy', 'rollback', 'stop', 'restart'].includes(prop) && !rest.dryRun) {
            args[0] = { ...first, onStart: (id: string) => void this.ids.push(id) };
          }
          return value.apply(target, args);
        };
      },
    });
  }
}

function realDelay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
