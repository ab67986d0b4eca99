/**
 * The log tail's batching on a clock the test moves by hand: however fast lines arrive, the
 * thread gets at most one message per 2 s window, and every line arrives once.
 */
import type { TailItem, TailRequest } from '../../src/engine/api';
import type { Clock } from '../../src/engine/ports';
import { silentLogger } from '../../src/logger';
import type { BotClient } from '../../src/slack/bot-client';
import { LogTails, TAIL_BATCH_MS } from '../../src/slack/log-tails';

/** Sleeps end only when the test moves time past them (or their signal aborts). */
class ManualClock implements Clock {
  time = Date.parse('2026-12-01T10:00:00Z');
  private readonly sleepers = new Set<{ due: number; resolve: () => void }>();

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = { due: this.time + ms, resolve };
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers.delete(sleeper);
        resolve();
      });
    });
  }

  every(): () => void {
    return () => undefined;
  }

  /** Moves time on by `ms` and lets what woke up run. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    for (const s of [...this.sleepers]) {
      if (s.due <= this.time) {
        this.sleepers.delete(s);
        s.resolve();
      }
    }
    for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r));
  }
}

/** An engine tail the test feeds line by line. */
function feed() {
  const queue: TailItem[] = [];
  let wake: (() => void) | null = null;
  return {
    push(message: string, at: number) {
      queue.push({ kind: 'lines', events: [{ timestamp: new Date(at), message }] });
      wake?.();
    },
    async *tailLogs(req: TailRequest): AsyncGenerator<TailItem> {
      yield { kind: 'started', mode: 'live', pattern: 'ERROR', logGroup: '/ecs/backend' };
      req.signal.addEventListener('abort', () => wake?.());
      while (!req.signal.aborted) {
        const next = queue.shift();
        if (next) yield next;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

interface Post {
  at: number;
  threadTs?: string;
  text: string;
}

function fakeClient(clock: ManualClock, posts: Post[]): BotClient {
  const chat = {
    postMessage: (args: { thread_ts?: string; text: string; blocks: unknown[] }) => {
      posts.push({ at: clock.now(), threadTs: args.thread_ts, text: `${args.text} ${JSON.stringify(args.blocks)}` });
      return Promise.resolve({ ok: true, ts: '100.1' });
    },
    update: () => Promise.resolve({ ok: true }),
  };
  return { chat } as unknown as BotClient;
}

describe('Slack log tail: batching', () => {
  it('posts at most one message per 2 s window while lines arrive every 100 ms, and each line once', async () => {
    const clock = new ManualClock();
    const posts: Post[] = [];
    const engine = feed();
    const tails = new LogTails({ engine, client: fakeClient(clock, posts), logger: silentLogger(), clock });
    const started = await tails.start({ service: 'backend', forMs: 60_000, channel: 'C1', startedBy: 'dev' });
    expect(started.ok).toBe(true);
    const start = clock.now();
    for (let i = 0; i < 300; i += 1) {
      engine.push(`ERROR line ${String(i)}`, clock.now());
      await clock.advance(100);
    }
    await tails.stopAll();
    const batches = posts.filter((p) => p.threadTs && !p.text.includes('stopped'));
    const windows = new Map<number, number>();
    for (const b of batches) {
      const window = Math.floor((b.at - start - 1) / TAIL_BATCH_MS);
      windows.set(window, (windows.get(window) ?? 0) + 1);
    }
    expect(Math.max(...windows.values())).toBe(1);
    // 30 s of lines: about one batch per window, not one per line.
    expect(batches.length).toBeGreaterThanOrEqual(14);
    expect(batches.length).toBeLessThanOrEqual(15);
    const all = posts
      .filter((p) => p.threadTs)
      .map((p) => p.text)
      .join('\n');
    for (let i = 0; i < 300; i += 1) expect(all.match(new RegExp(`line ${String(i)}\\b`, 'g'))?.length).toBe(1);
    expect(posts.filter((p) => p.text.includes('stopped: the bot is shutting down'))).toHaveLength(1);
  });

  it('posts nothing into the thread while no line arrives, then ends at its time with one closing message', async () => {
    const clock = new ManualClock();
    const posts: Post[] = [];
    const tails = new LogTails({ engine: feed(), client: fakeClient(clock, posts), logger: silentLogger(), clock });
    await tails.start({ service: 'backend', forMs: 10_000, channel: 'C1', startedBy: 'dev' });
    for (let i = 0; i < 8; i += 1) await clock.advance(TAIL_BATCH_MS);
    const thread = posts.filter((p) => p.threadTs);
    expect(thread).toHaveLength(1);
    expect(thread[0].text).toContain('time is up');
    expect(thread[0].at - Date.parse('2026-12-01T10:00:00Z')).toBe(10_000);
    expect(tails.runningFor('backend')).toBeUndefined();
  });
});
