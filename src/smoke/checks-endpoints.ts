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
  if (!isGitSha(ctx.expectSha)) throw new CheckError(`expected SHA ${showValue(ctx.expectSha)} is not 7-40 hex characters`);
  if (shaMatches(ctx.expectSha, value)) return pass(`${versionField} ${value.slice(0, 12)} matches the expected SHA`);
  return failed(`${versionField} is ${value.slice(0, 12)}, expected ${ctx.expectSha.slice(0, 12)}`);
}

/** The liveness endpoint answers 2xx. */
export async function checkLiveness(ctx: CheckContext): Promise<CheckOutcome> {
  const res = await ctx.get(ctx.smoke.livePath);
  return isSuccess(res.status) ? pass(`HTTP ${res.status}`) : failed(`${ctx.smoke.livePath} answered HTTP ${res.status}`);
}

const READY_BACKOFF_MS = [500, 1000];

/**
 * The readiness endpoint answers 2xx JSON where any one `readyExpect` entry matches. Retried
 * (3 tries, short backoff) because a task that just started may still be warming up.
 */
export async function checkReadiness(ctx: CheckContext): Promise<CheckOutcome> {
  let outcome = await readinessOnce(ctx).catch(outcomeOfError);
  let tries = 1;
  for (const wait of READY_BACKOFF_MS) {
    if (outcome.status === 'pass' || ctx.signal.aborted || ctx.remainingMs() < wait + 100) break;
    await ctx.sleep(wait);
    if (ctx.signal.aborted) break;
    outcome = await readinessOnce(ctx).catch(outcomeOfError);
    tries += 1;
  }
  return tries > 1 ? { ...outcome, reason: `${outcome.reason} (after ${tries} tries)` } : outcome;
}

async function readinessOnce(ctx: CheckContext): Promise<CheckOutcome> {
  const { readyPath, readyExpect } = ctx.smoke;
  const res = await ctx.get(readyPath);
  if (!isSuccess(res.status)) return failed(`${readyPath} answered HTTP ${res.status}`);
  const json = parseJsonBody(res, 'readiness');
  const match = readyExpect.find((e) => getPath(json, e.field) === e.equals);
  if (match) return pass(`ready (${match.field} = ${showValue(match.equals)})`);
  const seen = readyExpect.map((e) => `${e.field} = ${showValue(getPath(json, e.field))}`).join(', ');
  return failed(`not ready: ${seen}`);
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
