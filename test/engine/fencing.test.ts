/**
 * Fenced writes at the engine and its Slack thread. Replica A is paused (its sleeps stop, as under
 * SIGSTOP) right after its UpdateService, past its lease; replica B takes the change over, verifies
 * it and records the outcome. When A continues it writes nothing, posts nothing more, and logs one
 * line. And two replicas whose clocks differ by the allowed skew never take over a live lease.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { Engine } from '../../src/engine/engine';
import type { ChangeResult, EngineEvent } from '../../src/engine/model';
import { CLOCK_SKEW_MS, LEASE_TTL_MS, type StorePort } from '../../src/engine/store-port';
import { reportOnFinish } from '../../src/report';
import { createThreadReporter, type ReporterClient, type ThreadReporter } from '../../src/slack/thread-reporter';
import { silentLogger } from '../../src/logger';
import { openStore } from '../../src/store';
import { alice, createTestEngine, FakeClock, FakeHttpChecks, sha, type TestEngine } from '../fakes';

/** A Slack Web API that records every post and update. */
function fakeSlack() {
  const calls: { method: 'postMessage' | 'update'; text: string; broadcast: boolean }[] = [];
  let ts = 0;
  const client = {
    chat: {
      postMessage: (args: { text?: string; reply_broadcast?: boolean; channel: string }) => {
        calls.push({ method: 'postMessage', text: args.text ?? '', broadcast: args.reply_broadcast === true });
        return Promise.resolve({ ok: true, channel: args.channel, ts: `1700000000.${String(++ts).padStart(6, '0')}` });
      },
      update: (args: { text?: string }) => {
        calls.push({ method: 'update', text: args.text ?? '', broadcast: false });
        return Promise.resolve({ ok: true });
      },
    },
  };
  return { calls, client: client as unknown as ReporterClient };
}

/** Log lines at warn and above, as JSON. */
function capturingLogger() {
  const lines: { level: number; msg: string; changeId?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { lines, logger: pino({ level: 'warn' }, stream) };
}

function reporterFor(t: { engine: Engine; config: TestEngine['config'] }, client: ReporterClient): ThreadReporter {
  return createThreadReporter({
    client,
    channel: 'CDEPLOYS',
    engine: t.engine,
    config: t.config,
    logger: silentLogger(),
    minUpdateIntervalMs: 0,
    retryBaseMs: 10,
    pacer: { turn: () => Promise.resolve() },
  });
}

/** Replica A, whose sleeps stop once `pause()` is called, until `resume()`. */
function pausableReplica(store: StorePort) {
  const { lines, logger } = capturingLogger();
  const a = createTestEngine({ store, owner: 'replica-a' });
  const engine = new Engine({
    config: a.config,
    ecr: a.world.ecr,
    ecs: a.world.ecs,
    elb: a.world.elb,
    logs: a.world.logsPort,
    http: a.http,
    store,
    clock: a.clock,
    logger,
    onFinished: [reportOnFinish({ store, logger: silentLogger() })],
    owner: 'replica-a',
  });
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  const sleep = a.clock.sleep.bind(a.clock);
  a.clock.sleep = async (ms, signal) => {
    if (gate) await gate;
    return sleep(ms, signal);
  };
  return {
    ...a,
    engine,
    lines,
    pause: () => {
      gate = new Promise<void>((r) => (open = r));
    },
    resume: () => {
      gate = null;
      open();
    },
  };
}

/** Replica B on the same store and AWS world, with its own clock. */
function replicaB(a: TestEngine, store: StorePort, now: number) {
  const clock = new FakeClock(now);
  const engine = new Engine({
    config: a.config,
    ecr: a.world.ecr,
    ecs: a.world.ecs,
    elb: a.world.elb,
    logs: a.world.logsPort,
    http: new FakeHttpChecks(a.world),
    store,
    clock,
    logger: silentLogger(),
    onFinished: [reportOnFinish({ store, logger: silentLogger() })],
    owner: 'replica-b',
  });
  return { engine, clock, config: a.config };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('Engine: a replica paused past its lease, then continued', () => {
  it('leaves every write and Slack message to the replica that took over; it logs one line', async () => {
    // Prepare: A deploys with a Slack thread and is paused once ECS rolls out its revision.
    const store = openStore(':memory:');
    const a = pausableReplica(store);
    const slackA = fakeSlack();
    const threadA = reporterFor(a, slackA.client);
    let paused = false;
    const deployed = a.engine.deploy({
      service: 'backend',
      sha: sha(2).slice(0, 7),
      actor: alice,
      onStart: threadA.onStart,
      onEvent: (e: EngineEvent) => {
        threadA.onEvent(e);
        if (e.type === 'progress' && e.phase === 'rollout' && !paused) {
          paused = true;
          a.pause();
        }
      },
    });
    await until(() => paused, 'the rollout');
    await threadA.flush(2000);
    const changeId = (await store.runningDeploys())[0].id;
    const leaseEnd = Date.parse((await store.getLock('backend'))!.leaseExpiresAt!);

    // Act 1: B, later than A's lease and the clock skew, takes the change over and finishes it.
    const b = replicaB(a, store, leaseEnd + CLOCK_SKEW_MS + 1_000);
    const slackB = fakeSlack();
    let threadB: ThreadReporter | null = null;
    const resumed: ChangeResult[] = await b.engine.recover((e) => {
      threadB ??= reporterFor(b, slackB.client);
      if (!threadB.changeId) threadB.resume(e.changeId, { channel: 'CDEPLOYS', ts: '1700000000.000001' }, 'Resumed');
      threadB.onEvent(e);
    });
    await threadB!.flush(2000);
    const postedByABefore = slackA.calls.length;

    // Act 2: A continues, a lease and more later.
    a.clock.advance(LEASE_TTL_MS + CLOCK_SKEW_MS + 1_000);
    a.resume();
    const fromA = await deployed;
    await threadA.flush(2000);

    // Assess: B's outcome stands, once; A wrote nothing and posted nothing more, and said so once.
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ deployId: changeId, outcome: 'succeeded' });
    expect(fromA).toMatchObject({ outcome: 'interrupted', error: { code: 'lease_lost' } });
    expect(await store.getDeploy(changeId)).toMatchObject({ outcome: 'succeeded', owner: 'replica-b', fence: 2 });
    expect(await store.getLock('backend')).toBeUndefined();
    expect(slackA.calls.slice(postedByABefore)).toEqual([]);
    const outcomes = [...slackA.calls, ...slackB.calls].filter((c) => c.broadcast);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].text).toMatch(/verified/);
    const audit = (await store.listAudit({ service: 'backend' })).map((e) => e.action);
    expect(audit.filter((x) => x === 'deploy.succeeded')).toHaveLength(1);
    expect(a.world.calls.filter((c) => c.op === 'updateService')).toHaveLength(1);
    const aboutIt = a.lines.filter((l) => l.changeId === changeId);
    expect(aboutIt).toHaveLength(1);
    expect(aboutIt[0].msg).toMatch(/another process took this change over/);
    threadA.dispose();
    threadB!.dispose();
  });
});

describe('Engine: two replicas whose clocks differ by the allowed skew', () => {
  it.each([
    ['ahead of', CLOCK_SKEW_MS],
    ['behind', -CLOCK_SKEW_MS],
  ])(
    'a replica whose clock is %s the holder never takes a lease over before it ran out by the holder',
    async (_, skew) => {
      // Prepare: A stalls during its rollout and renews no more; its lease ends at leaseEnd by its own clock.
      const store = openStore(':memory:');
      const a = pausableReplica(store);
      let paused = false;
      const deployed = a.engine.deploy({
        service: 'backend',
        sha: sha(2).slice(0, 7),
        actor: alice,
        onEvent: (e) => {
          if (e.type === 'progress' && e.phase === 'rollout' && !paused) {
            paused = true;
            a.pause();
          }
        },
      });
      await until(() => paused, 'the rollout');
      const leaseEnd = Date.parse((await store.getLock('backend'))!.leaseExpiresAt!);
      const b = replicaB(a, store, leaseEnd - 1 + skew);

      // Act + Assess: 1 ms before A's lease ends by A's clock, B leaves it, whatever B's clock says.
      expect(await b.engine.recover()).toEqual([]);
      expect(await store.getLock('backend')).toMatchObject({ owner: 'replica-a' });

      // Once the lease ran out longer ago than the skew by B's own clock (by A's, at least 1 ms ago), B takes over and finishes.
      b.clock.current = leaseEnd + CLOCK_SKEW_MS + 1;
      const [resumed] = await b.engine.recover();
      expect(resumed).toMatchObject({ outcome: 'succeeded' });
      a.clock.advance(LEASE_TTL_MS);
      a.resume();
      expect(await deployed).toMatchObject({ outcome: 'interrupted' });
      expect(a.world.calls.filter((c) => c.op === 'updateService')).toHaveLength(1);
    },
  );
});
