/**
 * End-to-end harness: a simulated AWS world started in the jest process, and the built CLI
 * (`bin/ecs-chatops.js`) run as a child process with a clean environment pointing at it,
 * the way a user or a CI job runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { startSimWorld, type SimCall, type SimWorld, type SimWorldOptions } from '../../src/sim/index';
import type { JsonDoc } from '../json';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'ecs-chatops.js');

/** A child that has not finished after this long is killed, so a hung CLI fails its test instead of jest. */
const CHILD_DEADLINE_MS = 30_000;

/** How one child runs, beyond the world's defaults. */
export interface ChildOptions {
  /** Variables added to the world's environment for this child only. */
  env?: Record<string, string>;
  /** Killed after this long (default CHILD_DEADLINE_MS); a long-lived `serve` needs more. */
  deadlineMs?: number;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A CLI child still running: its pid, a way to kill it and its eventual result. */
export interface CliChild {
  pid: number;
  child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  done: Promise<CliRun>;
}

/** The per-service `services.<key>` settings of the generated config, changed in place. */
export type ServiceEdit = (service: Record<string, unknown>) => void;

export interface E2eWorldOptions extends SimWorldOptions {
  /** Changes to the `backend` service's config entry (timeouts, logs, smoke). */
  edit?: ServiceEdit;
  /** Top-level config keys set as given (`access`, `channel`, …). */
  configKeys?: Record<string, unknown>;
}

export interface E2eWorld {
  world: SimWorld;
  dir: string;
  configPath: string;
  /** The child's whole environment. */
  env: Record<string, string>;
  /** Runs `ecs-chatops --config <file> ...args` to the end. */
  cli(args: string[]): Promise<CliRun>;
  /** Starts `ecs-chatops --config <file> ...args` and returns at once. */
  start(args: string[], options?: ChildOptions): CliChild;
  /** Kills every child still running, closes the world and removes the temp folder. */
  close(): Promise<void>;
}

/** The generated config with a fast poll, absolute reports folder and the given edits. */
function writeConfig(
  world: SimWorld,
  dir: string,
  edit?: ServiceEdit,
  configKeys: Record<string, unknown> = {},
): string {
  const doc = parseDocument(world.configYaml);
  doc.set('reportsDir', join(dir, 'reports'));
  for (const [key, value] of Object.entries(configKeys)) doc.set(key, value);
  const services = doc.toJS().services as Record<string, Record<string, unknown>>;
  for (const entry of Object.values(services)) {
    entry.timeouts = { ...(entry.timeouts as object), poll: '100ms' };
  }
  if (edit) edit(services.backend);
  doc.set('services', services);
  const path = join(dir, 'ecs-chatops.yml');
  writeFileSync(path, doc.toString());
  return path;
}

function spawnCli(args: string[], env: Record<string, string>, cwd: string, deadlineMs = CHILD_DEADLINE_MS): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const deadline = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const done = new Promise<CliRun>((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
  return { pid: child.pid ?? -1, child, stderr: () => stderr, done };
}

/**
 * Starts a simulated world (fast pace unless told) and writes its config into a fresh temp folder.
 * @throws Error when the product is not built, or the world cannot start (unknown scenario, no free port).
 */
export async function startE2eWorld(options: E2eWorldOptions = {}): Promise<E2eWorld> {
  // The bin runs the compiled product; `npm test` builds it first.
  if (!existsSync(join(ROOT, 'dist', 'main.js')))
    throw new Error('dist/main.js is missing: run `npm run build` before these tests');
  const { edit, configKeys, ...simOptions } = options;
  const world = await startSimWorld({ paceMs: 20, ...simOptions });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-e2e-'));
  const configPath = writeConfig(world, dir, edit, configKeys);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TMPDIR: dir,
    NO_COLOR: '1',
    ...world.env,
    ECS_CHATOPS_DB: join(dir, 'data', 'ecs-chatops.db'),
  };
  const children = new Set<CliChild>();
  const start = (args: string[], childOptions: ChildOptions = {}): CliChild => {
    const c = spawnCli(
      ['--config', configPath, ...args],
      { ...env, ...childOptions.env },
      dir,
      childOptions.deadlineMs,
    );
    children.add(c);
    void c.done.finally(() => children.delete(c)).catch(() => undefined);
    return c;
  };
  return {
    world,
    dir,
    configPath,
    env,
    start,
    cli: (args) => start(args).done,
    close: async () => {
      try {
        for (const c of children) c.child.kill('SIGKILL');
        await Promise.all([...children].map((c) => c.done.catch(() => undefined)));
        await world.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The one JSON object a `--json` run prints on stdout.
 * @throws Error when stdout holds anything but exactly one JSON object.
 */
export function jsonOf(run: CliRun): JsonDoc {
  const text = run.stdout.trim();
  if (!text.startsWith('{') || !text.endsWith('}'))
    throw new Error(`stdout is not one JSON object:\n${run.stdout.slice(0, 500)}`);
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error('stdout JSON is not an object');
  return value;
}

/** The calls of one operation. */
export function callsOf(calls: SimCall[], operation: string): SimCall[] {
  return calls.filter((c) => c.operation === operation);
}

/** The calls of one operation that the simulator answered with 200. */
export function answered(calls: SimCall[], operation: string): SimCall[] {
  return calls.filter((c) => c.operation === operation && c.status === 200);
}

/** AWS write operations: none may happen on bad input, a dry run or a refusal. */
export const WRITE_OPERATIONS = ['RegisterTaskDefinition', 'UpdateService', 'DeregisterTaskDefinition', 'TagResource'];

/** Resolves once `predicate` holds for the world's calls (polled), or rejects after `ms`. */
export async function waitForCall(world: SimWorld, predicate: (c: SimCall) => boolean, ms = 15_000): Promise<SimCall> {
  const until = Date.now() + ms;
  for (;;) {
    const hit = world.calls().find(predicate);
    if (hit) return hit;
    if (Date.now() > until) throw new Error('the expected AWS call never reached the simulator');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The app's git SHA behind the production URL right now. */
export async function productionSha(e: E2eWorld): Promise<string> {
  return ((await (await fetch(new URL('/api/v1/version', e.world.appUrl))).json()) as { gitSha: string }).gitSha;
}

/** Samples the production SHA until `stop` is called, which resolves to every SHA seen meanwhile. */
export function watchProductionSha(e: E2eWorld): { stop: () => Promise<Set<string>> } {
  const seen = new Set<string>();
  const state = { watching: true };
  const watch = (async () => {
    while (state.watching) {
      seen.add(await productionSha(e).catch(() => ''));
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  return { stop: async () => ((state.watching = false), await watch, seen) };
}

export const TASK_DEFINITION_ARN = /^arn:aws:ecs:us-east-1:123456789012:task-definition\/demo-backend:(\d+)$/;

/** `…/demo-backend:N` → N */
export function revisionOf(arn: string): number {
  const m = TASK_DEFINITION_ARN.exec(arn);
  if (!m) throw new Error(`not a demo-backend task-definition ARN: ${arn}`);
  return Number(m[1]);
}

/** Worlds started by `inE2eWorld` and not closed yet (jest loads this module once per test file). */
const openWorlds = new Set<E2eWorld>();

/** Runs `body` in a fresh world, closed afterwards whatever happens. */
export async function inE2eWorld<T>(options: E2eWorldOptions, body: (e: E2eWorld) => Promise<T>): Promise<T> {
  const e = await startE2eWorld(options);
  openWorlds.add(e);
  try {
    return await body(e);
  } finally {
    openWorlds.delete(e);
    await e.close();
  }
}

/** For `afterAll`: closes the worlds of tests that timed out mid-body. */
export async function closeOpenWorlds(): Promise<void> {
  await Promise.all([...openWorlds].map((e) => e.close()));
}
