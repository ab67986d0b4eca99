/**
 * A small GitHub REST client: GET with an optional token, honouring the rate limits (no call
 * while limited), answering every failure as a value with a reason a person can read. The token
 * never appears in a log line or a reason.
 */
import { request, type Dispatcher } from 'undici';
import type { Logger } from '../logger';
import { sanitizeText } from '../smoke/sanitize';

export type GitHubAnswer<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface GitHubClientOptions {
  /** GITHUB_TOKEN; without it public repositories still answer (60 calls an hour). */
  token?: string;
  logger: Logger;
  /** Wall clock (ms), for the rate-limit gate. */
  now?: () => number;
  /** An undici dispatcher (tests, proxies); default the global one. */
  dispatcher?: Dispatcher;
}

/** Caps what one answer may weigh: 100 commits of long messages fit well within it. */
const MAX_BODY_BYTES = 8_000_000;

export class GitHubClient {
  /** Per API base: no call before this time (ms), after a rate-limited answer. */
  private readonly blockedUntil = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: GitHubClientOptions) {
    this.now = options.now ?? Date.now;
  }

  /** GETs `path` (with `query`) from `apiBase`. Never throws; `signal` bounds the wait. */
  async getJson(
    apiBase: string,
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
  ): Promise<GitHubAnswer<unknown>> {
    const blocked = this.blockedUntil.get(apiBase) ?? 0;
    if (this.now() < blocked) return { ok: false, reason: `GitHub rate limit reached; it resets at ${clock(blocked)}` };
    const url = `${apiBase}${path}?${new URLSearchParams(query).toString()}`;
    try {
      const res = await request(url, {
        method: 'GET',
        headers: this.headers(),
        signal,
        dispatcher: this.options.dispatcher,
      });
      this.noteRateLimit(apiBase, res.statusCode, res.headers);
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined); // the body of a refusal tells us nothing we show
        return { ok: false, reason: this.statusReason(apiBase, res.statusCode) };
      }
      const text = await readCapped(res.body, MAX_BODY_BYTES);
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (e) {
      const reason = this.errorReason(e, signal);
      this.options.logger.warn({ err: this.redacted(e), apiBase, path }, `GitHub call failed: ${reason}`);
      return { ok: false, reason };
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'user-agent': 'ecs-chatops',
      'x-github-api-version': '2022-11-28',
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    return headers;
  }

  /** Remembers when calling again is allowed: `retry-after` (secondary limits), or the reset of an exhausted quota. */
  private noteRateLimit(apiBase: string, status: number, headers: Record<string, string | string[] | undefined>): void {
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const retryAfter = Number(header('retry-after'));
    const remaining = header('x-ratelimit-remaining');
    const reset = Number(header('x-ratelimit-reset'));
    let until = 0;
    if ((status === 403 || status === 429) && Number.isFinite(retryAfter) && retryAfter > 0)
      until = this.now() + retryAfter * 1000;
    else if (remaining === '0' && Number.isFinite(reset) && reset > 0) until = reset * 1000;
    else if (status === 429) until = this.now() + 60_000;
    if (until > this.now()) this.blockedUntil.set(apiBase, until);
  }

  private statusReason(apiBase: string, status: number): string {
    const blocked = this.blockedUntil.get(apiBase) ?? 0;
    if (blocked > this.now()) return `GitHub rate limit reached; it resets at ${clock(blocked)}`;
    if (status === 401)
      return this.options.token
        ? 'GitHub refused GITHUB_TOKEN (401)'
        : 'GitHub asks for a token (401): set GITHUB_TOKEN';
    if (status === 403) return 'GitHub refused access (403): check GITHUB_TOKEN’s access to the repository';
    if (status === 404)
      return `GitHub does not know the repository or a commit (404)${this.options.token ? '' : '; a private repository needs GITHUB_TOKEN'}`;
    return `GitHub answered ${status}`;
  }

  private errorReason(e: unknown, signal: AbortSignal): string {
    if (signal.aborted) return 'GitHub did not answer in time';
    if (e instanceof SyntaxError) return 'GitHub sent an answer that is not JSON';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return `GitHub unreachable (${code})`;
    return `GitHub unreachable (${this.redactText(sanitizeText(e instanceof Error ? e.message : String(e), 120))})`;
  }

  private redactText(text: string): string {
    const token = this.options.token;
    return token ? text.split(token).join('[redacted]') : text;
  }

  /** The error as logged: its message and stack without the token. */
  private redacted(e: unknown): { message: string; code?: unknown } {
    const message = e instanceof Error ? e.message : String(e);
    return { message: this.redactText(message), code: (e as { code?: unknown }).code };
  }
}

/** Reads a body up to `max` bytes. @throws Error when it is longer. */
async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) {
      body.destroy();
      throw new Error(`answer larger than ${max} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `14:05 UTC` */
function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}
