/**
 * The load generator for the ack-latency measurement, run in a worker thread so that its clock
 * and event loop are not held up by the simulated AWS world or the fake Slack on the main thread.
 * Sends signed slash commands over keep-alive connections and posts back each request's latency.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { commandBody, signedHeaders } from './slack-requests';

export interface AckLoadInput {
  port: number;
  secret: string;
  command: string;
  text: string;
  userId: string;
  channelId: string;
  /** response_url base; a sequence number is appended. */
  responseUrlBase: string;
  requests: number;
  concurrency: number;
  /** Requests sent (and not counted) before measuring, to open connections and warm the bot. */
  warmup: number;
}

export interface AckLoadOutput {
  /** Time to a complete HTTP answer, ms, in completion order. */
  latencies: number[];
  statuses: Record<string, number>;
  wallMs: number;
}

async function runLoad(input: AckLoadInput): Promise<AckLoadOutput> {
  const pool = new Pool(`http://127.0.0.1:${input.port}`, {
    connections: input.concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  let seq = 0;
  const once = async (): Promise<{ ms: number; status: number }> => {
    seq += 1;
    const body = commandBody({
      command: input.command,
      text: input.text,
      user_id: input.userId,
      channel_id: input.channelId,
      response_url: `${input.responseUrlBase}${seq}`,
    });
    const started = performance.now();
    try {
      const res = await pool.request({
        path: '/slack/events',
        method: 'POST',
        headers: signedHeaders(input.secret, body),
        body,
      });
      await res.body.text();
      return { ms: performance.now() - started, status: res.statusCode };
    } catch {
      return { ms: performance.now() - started, status: 0 };
    }
  };
  const drive = async (count: number, record: (r: { ms: number; status: number }) => void): Promise<void> => {
    let left = count;
    const loop = async (): Promise<void> => {
      while (left > 0) {
        left -= 1;
        record(await once());
      }
    };
    await Promise.all(Array.from({ length: input.concurrency }, loop));
  };
  try {
    await drive(input.warmup, () => undefined);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const started = performance.now();
    await drive(input.requests, (r) => {
      latencies.push(r.ms);
      statuses[r.status] = ((statuses[r.status] as number | undefined) ?? 0) + 1;
    });
    return { latencies, statuses, wallMs: performance.now() - started };
  } finally {
    await pool.close();
  }
}

if (parentPort) {
  const port = parentPort;
  runLoad(workerData as AckLoadInput).then(
    (out) => port.postMessage({ ok: true, out }),
    (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}
