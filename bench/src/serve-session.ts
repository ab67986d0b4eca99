/**
 * One life of a `serve` process: start-up to ready, idle memory, ack latency of signed `/status`
 * commands, then 20 `/deploy` commands at once through Slack, and memory after them.
 */
import { request } from 'undici';
import { startSimWorld } from '../../src/sim/index';
import { runAckLoad, type AckRun } from './ack-latency';
import { startFakeSlack, type FakeSlackApi } from './fake-slack';
import { startServeProcess } from './serve-process';
import { BENCH_SIGNING_SECRET, commandBody, signedHeaders } from './slack-requests';

export interface ServeSessionOptions {
  ackRequests: number;
  ackConcurrency: number;
  deploys: number;
  clusters: number;
  pollMs: number;
  /** How long to wait for the deploys to be reported finished. */
  deployTimeoutMs: number;
}

export interface ServeSessionRun {
  readyMs: number;
  idleRssMb: number;
  ack: AckRun;
  rssAfterCommandsMb: number;
  deploysSucceeded: number;
  deploysReported: number;
  rssAfterDeploysMb: number;
  /** Longest time from the `/deploy` command to its outcome in Slack, ms. */
  slowestDeployMs: number;
}

const DEPLOYER = 'UBENCH';
const CHANNEL = 'CBENCH';

/** @throws Error when the serve process cannot start or the load generator fails. */
export async function runServeSession(o: ServeSessionOptions): Promise<ServeSessionRun> {
  const world = await startSimWorld({ services: o.deploys, clusters: o.clusters, pollMs: o.pollMs });
  const slack = await startFakeSlack();
  try {
    const serve = await startServeProcess({
      configYaml: world.configYaml,
      deployers: [DEPLOYER],
      awsEnv: world.env,
      slackApiUrl: slack.apiUrl,
    });
    try {
      await sleep(1000);
      const idleRssMb = serve.rssMb();
      const ack = await runAckLoad({
        port: serve.port,
        secret: BENCH_SIGNING_SECRET,
        command: '/status',
        text: world.services[0],
        userId: DEPLOYER,
        channelId: CHANNEL,
        responseUrlBase: `${slack.baseUrl}/respond/`,
        requests: o.ackRequests,
        concurrency: o.ackConcurrency,
        warmup: Math.min(50, o.ackRequests),
      });
      await sleep(500);
      const rssAfterCommandsMb = serve.rssMb();
      const deploys = await deployAll(serve.port, world.services, world.images[1].tag, slack, o.deployTimeoutMs);
      await sleep(500);
      return {
        readyMs: serve.readyMs,
        idleRssMb,
        ack,
        rssAfterCommandsMb,
        ...deploys,
        rssAfterDeploysMb: serve.rssMb(),
      };
    } finally {
      await serve.stop();
    }
  } finally {
    await slack.close();
    await world.close();
  }
}

/** Sends one signed `/deploy` per service at once, then waits for every outcome broadcast. */
async function deployAll(port: number, services: string[], tag: string, slack: FakeSlackApi, timeoutMs: number) {
  slack.clear();
  const started = Date.now();
  await Promise.all(
    services.map(async (service, i) => {
      const body = commandBody({
        command: '/deploy',
        text: `${service} ${tag}`,
        user_id: DEPLOYER,
        channel_id: CHANNEL,
        response_url: `http://127.0.0.1:9/respond/${i}`,
      });
      const res = await request(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: signedHeaders(BENCH_SIGNING_SECRET, body),
        body,
      });
      await res.body.text();
    }),
  );
  const outcomes = () => slack.calls().filter((c) => c.method === 'chat.postMessage' && c.broadcast);
  const until = Date.now() + timeoutMs;
  while (outcomes().length < services.length && Date.now() < until) await sleep(100);
  const done = outcomes();
  return {
    deploysReported: done.length,
    deploysSucceeded: done.filter((c) => / deployed: .*verified/.test(c.text ?? '')).length,
    slowestDeployMs: done.length ? Math.max(...done.map((c) => c.at - started)) : Number.NaN,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
