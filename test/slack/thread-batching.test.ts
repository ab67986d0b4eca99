/** However far Slack lags, a thread catches up in few messages: details waiting for their turn merge. */
import { parseConfig } from '../../src/config/load';
import { createThreadReporter, chunkMessages, type ReporterClient } from '../../src/slack/thread-reporter';
import { TEST_CONFIG_YAML } from '../fakes';

function recordingClient() {
  const posts: { thread_ts?: string; text: string; blocks: unknown[]; reply_broadcast?: boolean }[] = [];
  let ts = 100;
  const client = {
    chat: {
      postMessage: async (args: { thread_ts?: string; text: string; blocks: unknown[] }) => {
        posts.push(args);
        return { ok: true, ts: `${++ts}.0001`, channel: 'C1' };
      },
      update: async () => ({ ok: true }),
    },
    filesUploadV2: async () => ({ ok: true }),
  } as unknown as ReporterClient;
  return { client, posts };
}

/** A pacer that lets a message through only when the test says so. */
function gatedPacer() {
  const waiting: (() => void)[] = [];
  return {
    turn: () => new Promise<void>((resolve) => waiting.push(resolve)),
    release: () => waiting.splice(0).forEach((r) => r()),
    get waiting() {
      return waiting.length;
    },
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
};

describe('Thread reporter: batching under a slow channel', () => {
  it('merges the service events, target health and notes that waited for the same turn into one reply, in order', async () => {
    // Prepare
    const { client, posts } = recordingClient();
    const pacer = gatedPacer();
    const config = parseConfig(TEST_CONFIG_YAML);
    const reporter = createThreadReporter({
      client,
      channel: 'C1',
      engine: { setChangeSlack: async () => undefined },
      config,
      pacer,
      minUpdateIntervalMs: 10,
    });
    const at = '2026-11-25T10:00:00.000Z';
    const base = { changeId: 'd-1', service: 'backend', at };
    reporter.onEvent({
      ...base,
      type: 'change_started',
      kind: 'deploy',
      actor: { id: 'U1', name: 'alice', via: 'slack' },
      sha: 'abc1234',
      fromTaskDefinition: null,
    });
    await until(() => posts.length === 1); // the parent

    // Act: thirty events and a target report arrive while the channel is busy
    for (let i = 0; i < 30; i++)
      reporter.onEvent({
        ...base,
        type: 'service_event',
        event: { id: `e${i}`, createdAt: new Date(Date.parse(at) + i * 1000), message: `(service backend) event ${i}` },
      });
    reporter.onEvent({ ...base, type: 'targets', targets: [{ id: '10.0.0.1', port: 80, state: 'healthy' }] });
    reporter.note('Cancel requested by bob');
    await until(() => pacer.waiting === 1);
    pacer.release();
    await until(() => posts.length === 2);

    // Assess
    const reply = JSON.stringify(posts[1].blocks);
    expect(posts[1].thread_ts).toBe(posts[0] && '101.0001');
    expect(reply).toContain('event 29');
    expect(reply).toContain('healthy');
    expect(reply.indexOf('event 29')).toBeLessThan(reply.indexOf('Cancel requested by bob'));
    expect(posts).toHaveLength(2);
    reporter.dispose();
  });

  it("splits merged details that would exceed Slack's block limit", () => {
    const part = { text: 'x', blocks: Array.from({ length: 15 }, () => ({ type: 'divider' })) };
    const chunks = chunkMessages([part, part, part, part]);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.blocks.length).toBeLessThanOrEqual(50);
    expect(chunks.reduce((n, c) => n + c.blocks.length, 0)).toBe(60);
  });
});
