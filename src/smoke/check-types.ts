import type { SmokeCheckName, SmokeConfig } from '../config/schema';
import { isCodedError } from '../errors';
import type { CheckSeverity } from '../engine/types';
import { HttpFailure, type HttpResponse } from './http-client';
import { excerpt, sanitizeText } from './sanitize';

/**
 * What a check found. `failed` becomes `fail` or `warn` by the check's severity; `soft` is a
 * problem worth showing that never fails a deploy (always `warn`).
 */
export interface CheckOutcome {
  status: 'pass' | 'failed' | 'soft' | 'skipped' | 'error';
  reason: string;
}

export const pass = (reason: string): CheckOutcome => ({ status: 'pass', reason });
export const failed = (reason: string): CheckOutcome => ({ status: 'failed', reason });
export const soft = (reason: string): CheckOutcome => ({ status: 'soft', reason });
export const skipped = (reason: string): CheckOutcome => ({ status: 'skipped', reason });

/** Thrown by a check that could not run (bad JSON, bad config): its result is `error`. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckError';
  }
}

export interface GetOptions {
  method?: 'GET' | 'OPTIONS' | 'HEAD';
  headers?: Record<string, string>;
  /** Overrides the per-check timeout for this request. */
  timeoutMs?: number;
}

/** What a check may use: the service's settings and a bounded, non-redirecting GET. */
export interface CheckContext {
  /** The service's baseUrl without a trailing slash. */
  baseUrl: string;
  smoke: SmokeConfig;
  expectSha?: string;
  /** Aborted when the run's deadline passes or the caller cancels. */
  signal: AbortSignal;
  /** Milliseconds left before the run's deadline. */
  remainingMs(): number;
  /** GETs a path under baseUrl, or an absolute URL. @throws HttpFailure when no response came. */
  get(pathOrUrl: string, options?: GetOptions): Promise<HttpResponse>;
  /** Waits, or returns early when `signal` aborts. */
  sleep(ms: number): Promise<void>;
}

/** One named check, as in ecspresso's `verify` table. */
export interface SmokeCheck {
  name: SmokeCheckName;
  title: string;
  defaultSeverity: CheckSeverity;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

/** The outcome of a thrown value: `error` with a short, safe reason. */
export function outcomeOfError(e: unknown): CheckOutcome {
  if (e instanceof HttpFailure || e instanceof CheckError || isCodedError(e))
    return { status: 'error', reason: e.message };
  return {
    status: 'error',
    reason: `internal error: ${sanitizeText(e instanceof Error ? e.message : String(e), 120)}`,
  };
}

/** Parses a JSON body. @throws CheckError when it is cut off or not JSON (a short excerpt only). */
export function parseJsonBody(res: HttpResponse, what: string): unknown {
  if (res.truncated) throw new CheckError(`${what} answer is larger than the read limit, not parsed`);
  try {
    return JSON.parse(res.body);
  } catch {
    throw new CheckError(`${what} answer (HTTP ${res.status}) is not JSON: ${excerpt(res.body, 24)}`);
  }
}

/** Reads `a.b.c` from parsed JSON; undefined when any step is missing. */
export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A JSON value shown briefly and safely in a reason. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  // JSON.stringify gives undefined for what JSON cannot hold (a function, a symbol), whatever its type says.
  const json = JSON.stringify(value) as string | undefined;
  return sanitizeText(json ?? typeof value, 40);
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** A header as one string (first value when repeated). */
export function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
