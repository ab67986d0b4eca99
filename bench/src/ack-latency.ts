/**
 * Ack latency: signed `/status` commands to the bot's HTTP receiver, N requests at C concurrent,
 * timed from the client side (a worker thread with keep-alive connections) to the HTTP 200.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AckLoadInput, AckLoadOutput } from './ack-worker';
import { percentile, round } from './stats';

export interface AckRun {
  p50: number;
  p99: number;
  max: number;
  ok: number;
  notOk: number;
  requestsPerSecond: number;
}

/**
 * Sends the load from a worker thread and summarises it.
 * @throws Error when the worker fails to run.
 */
export function runAckLoad(input: AckLoadInput): Promise<AckRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'ack-worker.js'), { workerData: input });
    worker.once('message', (msg: { ok: true; out: AckLoadOutput } | { ok: false; error: string }) => {
      void worker.terminate();
      if (!msg.ok) {
        reject(new Error(`ack load failed: ${msg.error}`));
        return;
      }
      resolve(summariseAck(msg.out));
    });
    worker.once('error', reject);
  });
}

export function summariseAck(out: AckLoadOutput): AckRun {
  const ok = out.statuses['200'] ?? 0;
  return {
    p50: round(percentile(out.latencies, 50)),
    p99: round(percentile(out.latencies, 99)),
    max: round(Math.max(...out.latencies)),
    ok,
    notOk: out.latencies.length - ok,
    requestsPerSecond: round((out.latencies.length / out.wallMs) * 1000),
  };
}
