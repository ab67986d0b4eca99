import { failed, header, isSuccess, pass, skipped, soft, type CheckContext, type CheckOutcome } from './check-types';
import { HttpFailure, type HttpResponse } from './http-client';
import { sanitizeText } from './sanitize';
import { compileSensitivePatterns, findSensitiveKinds } from './sensitive-data';

/** A path no real API serves, to see what the service's 404 body looks like. */
export const NOT_FOUND_PATH = '/api/v1/__smoke_not_found__';

const REDIRECTS = new Set([301, 302, 307, 308]);

/** Where plain HTTP is tried: `httpUrl` as configured, else baseUrl's host over http:// plus the liveness path. */
export function plainHttpUrl(ctx: CheckContext): string {
  if (ctx.smoke.httpUrl) return ctx.smoke.httpUrl;
  const url = new URL(ctx.baseUrl);
  url.protocol = 'http:';
  return `${url.origin}${ctx.smoke.livePath}`;
}

/** Plain HTTP is redirected to https:// or refused; never served. */
export async function checkHttps(ctx: CheckContext): Promise<CheckOutcome> {
  let res: HttpResponse;
  try {
    res = await ctx.get(plainHttpUrl(ctx));
  } catch (e) {
    if (e instanceof HttpFailure && e.kind === 'refused') return pass('plain HTTP refused');
    throw e;
  }
  if (REDIRECTS.has(res.status)) {
    const location = header(res, 'location') ?? '';
    if (/^https:\/\//i.test(location)) return pass(`plain HTTP redirected to https (${res.status})`);
    return failed(
      `plain HTTP redirected to ${sanitizeText(location, 60) || '(no Location)'}, not https (${res.status})`,
    );
  }
  if (isSuccess(res.status)) return failed(`serves HTTP ${res.status} over plain HTTP`);
  return failed(`plain HTTP answered ${res.status}; expected a redirect to https or a refused connection`);
}

/** The protected path answers 401 without credentials. */
export async function checkAuth(ctx: CheckContext): Promise<CheckOutcome> {
  const path = ctx.smoke.protectedPath;
  const res = await ctx.get(path);
  if (res.status === 401) return pass(`${path} answered 401 without credentials`);
  if (res.status === 403) return soft(`${path} answered 403, not 401: denied, but not as unauthenticated`);
  if (isSuccess(res.status)) return failed(`${path} answered ${res.status} without credentials`);
  return failed(`${path} answered HTTP ${res.status}, expected 401`);
}

/** The configured origin is allowed (Access-Control-Allow-Origin is it or `*`). */
export async function checkCors(ctx: CheckContext): Promise<CheckOutcome> {
  if (!ctx.smoke.corsOrigin) return skipped('no corsOrigin configured');
  const origin = new URL(ctx.smoke.corsOrigin).origin;
  const res = await ctx.get(ctx.smoke.livePath, { headers: { origin } });
  const allowed = header(res, 'access-control-allow-origin');
  if (allowed === origin) return pass(`allows ${origin}`);
  if (allowed === '*') return pass('allows any origin (*)');
  if (!allowed) return failed(`no Access-Control-Allow-Origin for ${origin}`);
  return failed(`Access-Control-Allow-Origin is ${sanitizeText(allowed, 60)}, not ${origin}`);
}

/** Every configured security header is present on the liveness answer. */
export async function checkSecurityHeaders(ctx: CheckContext): Promise<CheckOutcome> {
  const wanted = ctx.smoke.securityHeaders;
  const res = await ctx.get(ctx.smoke.livePath);
  const missing = wanted.filter((name) => !header(res, name));
  if (missing.length === 0) return pass(`all ${wanted.length} present`);
  return failed(`missing ${missing.length} of ${wanted.length}: ${missing.join(', ')}`);
}

/**
 * Error bodies (the protected path without credentials, and a 404) reveal no sensitive data.
 * The reason names the kind found, never the data itself.
 */
export async function checkErrorFormat(ctx: CheckContext): Promise<CheckOutcome> {
  const patterns = compileSensitivePatterns(ctx.smoke.sensitivePatterns);
  const paths = [ctx.smoke.protectedPath, NOT_FOUND_PATH];
  const answers = await Promise.allSettled(paths.map((p) => ctx.get(p)));
  const findings: string[] = [];
  const statuses: number[] = [];
  answers.forEach((answer, i) => {
    if (answer.status !== 'fulfilled') return;
    statuses.push(answer.value.status);
    const kinds = findSensitiveKinds(answer.value.body, patterns);
    if (kinds.length) findings.push(`${kinds.join(', ')} (${paths[i]})`);
  });
  if (findings.length) return failed(`error body reveals ${findings.join('; ')}`);
  const failure = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (failure) throw failure.reason;
  return pass(`no sensitive data in ${statuses.length} error bodies (HTTP ${statuses.join(', ')})`);
}
