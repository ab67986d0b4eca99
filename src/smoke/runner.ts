import type { NamedService } from '../config/schema';
import type { CheckSeverity, CheckStatus, SmokeResult, SmokeRun } from '../engine/types';
import type { Logger } from '../logger';
import { severityOf, SMOKE_CHECKS } from './check-table';
import { outcomeOfError, type CheckContext, type CheckOutcome, type SmokeCheck } from './check-types';
import { boundedRequest, createSmokeAgent, loadExtraCas } from './http-client';
import { MAX_REASON, sanitizeText } from './sanitize';
import { smokePassed } from './verdict';

export interface RunSmokeOptions {
  /** The deploy's git SHA; enables the version comparison. */
  expectSha?: string;
  /** Cancels the run: unfinished checks become `error` "cancelled". */
  signal?: AbortSignal;
  /** Where NODE_EXTRA_CA_CERTS is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The check table (default SMOKE_CHECKS). */
  checks?: readonly SmokeCheck[];
  logger?: Logger;
  /** Headers sent with every request (a test-listener header). */
  headers?: Record<string, string>;
}

/**
 * Runs every check of the table concurrently against the service's baseUrl, each within
 * `checkTimeout`, all within `deadline`. Results keep table order. Never throws: whatever
 * could not run is an `error` result.
 */
export async function runSmokeChecks(service: NamedService, options: RunSmokeOptions = {}): Promise<SmokeRun> {
  const started = performance.now();
  const checks = options.checks ?? SMOKE_CHECKS;
  const smoke = service.smoke;
  const results = checks.map((check) =>
    result(check, severityOf(check, smoke.severity), { status: 'skipped', reason: '' }, 0),
  );
  const pending = new Map<number, SmokeCheck>();
  checks.forEach((check, i) => {
    if (!service.baseUrl) results[i] = { ...results[i], reason: 'no baseUrl configured' };
    else if (smoke.skip.includes(check.name)) results[i] = { ...results[i], reason: 'skipped by config (smoke.skip)' };
    else pending.set(i, check);
  });
  if (service.baseUrl && pending.size > 0) await runPending(service.baseUrl, service, pending, results, options);
  for (const r of results)
    options.logger?.debug({ service: service.name, check: r.name, status: r.status, ms: r.ms }, 'smoke check');
  return { results, passed: smokePassed(results), ms: Math.round(performance.now() - started) };
}

async function runPending(
  baseUrl: string,
  service: NamedService,
  pending: Map<number, SmokeCheck>,
  results: SmokeResult[],
  options: RunSmokeOptions,
): Promise<void> {
  const smoke = service.smoke;
  const started = performance.now();
  const finish = (i: number, outcome: CheckOutcome) => {
    const check = pending.get(i);
    if (!check) return; // already finished, or given up on at the deadline
    pending.delete(i);
    results[i] = result(check, results[i].severity, outcome, performance.now() - started);
  };
  let extraCa: string[];
  try {
    extraCa = await loadExtraCas(smoke.caFile, options.env);
  } catch (e) {
    for (const i of [...pending.keys()]) finish(i, outcomeOfError(e));
    return;
  }
  const agent = createSmokeAgent({ extraCa, timeoutMs: smoke.checkTimeout });
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const deadlineAt = started + smoke.deadline;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, smoke.deadline);
  });
  const cancelled = new Promise<void>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  try {
    const ctx = makeContext(baseUrl, smoke, options.expectSha, controller.signal, deadlineAt, agent, options.headers);
    const runs = [...pending].map(([i, check]) =>
      check.run(ctx).then(
        (outcome) => finish(i, outcome),
        (e: unknown) => finish(i, outcomeOfError(e)),
      ),
    );
    if (options.signal?.aborted) controller.abort();
    await Promise.race([Promise.all(runs), deadline, cancelled]);
    const reason = options.signal?.aborted ? 'cancelled' : `deadline exceeded (${smoke.deadline} ms)`;
    for (const i of [...pending.keys()]) finish(i, { status: 'error', reason });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
    controller.abort(); // stops stragglers still waiting on a slow target
    await agent.destroy().catch(() => undefined);
  }
}

function makeContext(
  baseUrl: string,
  smoke: NamedService['smoke'],
  expectSha: string | undefined,
  signal: AbortSignal,
  deadlineAt: number,
  agent: ReturnType<typeof createSmokeAgent>,
  extraHeaders?: Record<string, string>,
): CheckContext {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: base,
    smoke,
    expectSha,
    signal,
    remainingMs: () => deadlineAt - performance.now(),
    get: (pathOrUrl, opts = {}) =>
      boundedRequest(agent, /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`, {
        method: opts.method,
        headers: extraHeaders ? { ...extraHeaders, ...opts.headers } : opts.headers,
        timeoutMs: opts.timeoutMs ?? smoke.checkTimeout,
        signal,
      }),
    sleep: (ms) => sleep(ms, signal),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function result(check: SmokeCheck, severity: CheckSeverity, outcome: CheckOutcome, ms: number): SmokeResult {
  return {
    name: check.name,
    title: check.title,
    severity,
    status: statusOf(outcome, severity),
    ms: Math.round(ms),
    reason: sanitizeText(outcome.reason, MAX_REASON),
  };
}

function statusOf(outcome: CheckOutcome, severity: CheckSeverity): CheckStatus {
  if (outcome.status === 'failed') return severity;
  if (outcome.status === 'soft') return 'warn';
  return outcome.status;
}
