/**
 * `ecs-chatops serve` as a separate process, the way it is deployed: HTTP mode on a free port,
 * Slack at the fake's SLACK_API_URL, AWS at the simulator, a fresh SQLite file. Measures the time
 * from spawn to the first `/healthz` 200 and reads the process's resident memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { BENCH_BOT_TOKEN, BENCH_SIGNING_SECRET } from './slack-requests';

export interface ServeProcess {
  port: number;
  pid: number;
  /** ms from spawn to the first `/healthz` answering 200. */
  readyMs: number;
  /** Resident set size in MB, as process.memoryUsage().rss would say inside it. */
  rssMb(): number;
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`); removes its files. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** The last lines it wrote to stderr (for diagnosing a failed start). */
  stderrTail(): string;
}

export interface ServeOptions {
  configYaml: string;
  /** Slack users allowed to deploy (added to the config's `access.deploy`). */
  deployers: string[];
  awsEnv: Record<string, string>;
  slackApiUrl: string;
  readyTimeoutMs?: number;
  /** More environment for the process. */
  extraEnv?: Record<string, string>;
  /** Node options before the script (e.g. `--cpu-prof` to find where time goes). */
  nodeArgs?: string[];
}

/** The CLI entry of this package (bin/ecs-chatops.js), from dist-bench/bench/src where this file runs. */
export const BIN_PATH = resolve(__dirname, '..', '..', '..', 'bin', 'ecs-chatops.js');

/**
 * Spawns `serve` and waits until it is ready.
 * @throws Error (after killing it) when it does not answer `/healthz` 200 in time or exits early.
 */
export async function startServeProcess(options: ServeOptions): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-bench-'));
  const config = parse(options.configYaml) as Record<string, unknown>;
  config.access = { ...(config.access as object | undefined), deploy: options.deployers };
  const configPath = join(dir, 'ecs-chatops.yml');
  writeFileSync(configPath, stringify(config));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    ...options.awsEnv,
    SLACK_BOT_TOKEN: BENCH_BOT_TOKEN,
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    PORT: String(port),
    ECS_CHATOPS_CONFIG: configPath,
    ECS_CHATOPS_DB: join(dir, 'data', 'ecs-chatops.db'),
    LOG_LEVEL: 'warn',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.extraEnv,
  };
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN_PATH, 'serve'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await waitHealthy(port, child, options.readyTimeoutMs ?? 15_000);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    cleanup();
    throw new Error(`serve did not become ready: ${(e as Error).message}; stderr: ${stderr.slice(-600)}`, { cause: e });
  }
  const readyMs = performance.now() - started;
  return {
    port,
    pid: child.pid!,
    readyMs,
    rssMb: () => readRssMb(child.pid!),
    stderrTail: () => stderr,
    stop: async (timeoutMs = 30_000) => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      cleanup();
      return code;
    },
  };
}

/** VmRSS of a process, in MB (Linux). */
export function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

async function waitHealthy(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    if ((await healthStatus(port)) === 200) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no /healthz 200 within ${timeoutMs} ms`);
}

function healthStatus(port: number): Promise<number> {
  return new Promise((resolveStatus) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.on('error', () => resolveStatus(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}
