import {
  CheckError,
  failed,
  getPath,
  isSuccess,
  outcomeOfError,
  parseJsonBody,
  pass,
  showValue,
  type CheckContext,
  type CheckOutcome,
} from './check-types';
import { HttpFailure } from './http-client';
import { isGitSha, shaMatches } from './version-match';

/** The version endpoint names a git SHA, and it is the deploy's when one is expected. */
export async function checkVersion(ctx: CheckContext): Promise<CheckOutcome> {
  const { versionPath, versionField } = ctx.smoke;
  const res = await ctx.get(versionPath);
  if (!isSuccess(res.status)) return failed(`${versionPath} answered HTTP ${res.status}`);
  const value = getPath(parseJsonBody(res, 'version'), versionField);
  if (!isGitSha(value)) return failed(`no git SHA in "${versionField}": ${showValue(value)}`);
  if (!ctx.expectSha) return pass(`${versionField} ${value.slice(0, 12)} (no expected SHA given)`);
  if (!isGitSha(ctx.expectSha))
    throw new CheckError(`expected SHA ${showValue(ctx.expectSha)} is not 7-40 hex characters`);
  if (shaMatches(ctx.expectSha, value)) return pass(`${versionField} ${value.slice(0, 12)} matches the expected SHA`);
  return failed(`${versionField} is ${value.slice(0, 12)}, expected ${ctx.expectSha.slice(0, 12)}`);
}

/** The liveness endpoint answers 2xx. */
export async function checkLiveness(ctx: CheckContext): Promise<CheckOutcome> {
  const res = await ctx.get(ctx.smoke.livePath);
  return isSuccess(res.status)
    ? pass(`HTTP ${res.status}`)
    : failed(`${ctx.smoke.livePath} answered HTTP ${res.status}`);
}

const READY_BACKOFF_MS = [500, 1000];

/** A readiness answer, and whether another try may see a different one (the task is warming up). */
interface ReadinessTry {
  outcome: CheckOutcome;
  transient: boolean;
}

/**
 * The readiness endpoint answers 2xx JSON where any one `readyExpect` entry matches. Tried up
 * to 3 times with a short backoff while the answer looks like warm-up (5xx, not ready, refused,
 * reset, timeout), never past the run's deadline.
 */
export async function checkReadiness(ctx: CheckContext): Promise<CheckOutcome> {
  let attempt = await readinessOnce(ctx);
  let tries = 1;
  for (const wait of READY_BACKOFF_MS) {
    if (!attempt.transient || ctx.signal.aborted || ctx.remainingMs() < wait + 100) break;
    await ctx.sleep(wait);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the run may be cancelled while we sleep
    if (ctx.signal.aborted) break;
    attempt = await readinessOnce(ctx);
    tries += 1;
  }
  const { outcome } = attempt;
  return tries > 1 ? { ...outcome, reason: `${outcome.reason} (after ${tries} tries)` } : outcome;
}

const WARM_UP_FAILURES = new Set(['refused', 'reset', 'timeout']);

async function readinessOnce(ctx: CheckContext): Promise<ReadinessTry> {
  const { readyPath, readyExpect } = ctx.smoke;
  try {
    const res = await ctx.get(readyPath);
    // A load balancer's 502/503 page while tasks start is HTML: only a 2xx answer is parsed.
    if (!isSuccess(res.status))
      return { outcome: failed(`${readyPath} answered HTTP ${res.status}`), transient: res.status >= 500 };
    const json = parseJsonBody(res, 'readiness');
    const match = readyExpect.find((e) => getPath(json, e.field) === e.equals);
    if (match) return { outcome: pass(`ready (${match.field} = ${showValue(match.equals)})`), transient: false };
    const seen = readyExpect.map((e) => `${e.field} = ${showValue(getPath(json, e.field))}`).join(', ');
    return { outcome: failed(`not ready: ${seen}`), transient: true };
  } catch (e) {
    const transient = e instanceof HttpFailure && WARM_UP_FAILURES.has(e.kind);
    return { outcome: outcomeOfError(e), transient };
  }
}

/** The root endpoint is reachable: any answer below 400 (a redirect is not followed). */
export async function checkRoot(ctx: CheckContext): Promise<CheckOutcome> {
  const res = await ctx.get(ctx.smoke.rootPath);
  if (isSuccess(res.status)) return pass(`HTTP ${res.status}`);
  if (res.status >= 300 && res.status < 400) return pass(`HTTP ${res.status} (redirect, not followed)`);
  return failed(`${ctx.smoke.rootPath} answered HTTP ${res.status}`);
}

/**
 * The version request (or the root request, when the version endpoint answers an error) is
 * answered within `maxResponseTime`. The request is cut at the limit: slower is a failure.
 */
export async function checkResponseTime(ctx: CheckContext): Promise<CheckOutcome> {
  const limit = ctx.smoke.maxResponseTime;
  const timeoutMs = Math.min(limit, ctx.smoke.checkTimeout);
  const statuses: string[] = [];
  for (const path of [ctx.smoke.versionPath, ctx.smoke.rootPath]) {
    let res;
    try {
      res = await ctx.get(path, { timeoutMs });
    } catch (e) {
      if (e instanceof HttpFailure && e.kind === 'timeout' && timeoutMs === limit) {
        return failed(`${path}: no answer within the ${limit} ms limit`);
      }
      throw e;
    }
    if (res.status < 400) {
      const verdict = `${path} answered in ${res.ms} ms (limit ${limit} ms)`;
      return res.ms <= limit ? pass(verdict) : failed(verdict);
    }
    statuses.push(`HTTP ${res.status}`);
  }
  throw new CheckError(`no endpoint answered successfully to time (${statuses.join(', ')})`);
}
