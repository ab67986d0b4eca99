import { readFile } from 'node:fs/promises';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import { CodedError, ErrorCodes } from '../errors';

/** Bodies are read up to this many bytes; the rest is dropped and the connection closed. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Why a request could not produce a response. */
export type HttpFailureKind = 'timeout' | 'refused' | 'reset' | 'tls' | 'dns' | 'aborted' | 'other';

/** A request that got no (complete) response; `message` is short and safe to show. */
export class HttpFailure extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names, as undici gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** At most MAX_BODY_BYTES of the body, decoded as UTF-8. */
  body: string;
  truncated: boolean;
  ms: number;
}

export interface BoundedRequestOptions {
  method?: 'GET' | 'OPTIONS' | 'HEAD';
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes?: number;
}

/**
 * A dedicated connection pool with TLS verification on; redirects are never followed (undici's
 * default). `extraCa` (PEM texts) is trusted in addition to Node's bundled roots.
 */
export function createSmokeAgent(options: { extraCa?: string[]; timeoutMs: number }): Agent {
  const secureContext = options.extraCa?.length ? secureContextFor(options.extraCa) : undefined;
  return new Agent({
    connect: { rejectUnauthorized: true, ...(secureContext ? { secureContext } : {}) },
    connectTimeout: options.timeoutMs,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 1000,
  });
}

// An explicit `ca` replaces Node's roots, so they are added back; parsing them takes ~30 ms of
// blocked event loop, so the context is built once per distinct CA set, not per connection or run.
const contexts = new Map<string, SecureContext>();

function secureContextFor(extraCa: string[]): SecureContext {
  const key = extraCa.join('\n');
  let context = contexts.get(key);
  if (!context) {
    if (contexts.size >= 8) contexts.clear();
    context = createSecureContext({ ca: [...rootCertificates, ...extraCa] });
    contexts.set(key, context);
  }
  return context;
}

/**
 * The extra CAs for private endpoints: the `caFile` and NODE_EXTRA_CA_CERTS files' contents.
 * @throws CodedError `invalid_config` when a CA file cannot be read.
 */
export async function loadExtraCas(
  caFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const files = [caFile, env.NODE_EXTRA_CA_CERTS].filter((f): f is string => Boolean(f));
  const extra: string[] = [];
  for (const file of files) {
    try {
      extra.push(await readFile(file, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new CodedError(ErrorCodes.invalidConfig, `cannot read CA file ${file} (${code})`, { cause: e });
    }
  }
  return extra;
}

/**
 * One request with a hard time limit and a bounded body read; never follows redirects.
 * @throws HttpFailure when no complete response arrived (timeout, refused, reset, TLS, DNS, cancelled).
 */
export async function boundedRequest(
  dispatcher: Dispatcher,
  url: string,
  options: BoundedRequestOptions,
): Promise<HttpResponse> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const res = await request(url, {
      dispatcher,
      method: options.method ?? 'GET',
      headers: { 'user-agent': 'ecs-chatops-smoke', ...options.headers },
      signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const { body, truncated } = await readBounded(res.body, options.maxBytes ?? MAX_BODY_BYTES, signal);
    return {
      status: res.statusCode,
      headers: res.headers,
      body,
      truncated,
      ms: Math.round(performance.now() - started),
    };
  } catch (e) {
    if (timeout.aborted) throw new HttpFailure('timeout', `no complete answer within ${options.timeoutMs} ms`);
    if (options.signal?.aborted) throw new HttpFailure('aborted', 'cancelled');
    throw classifyFailure(e, options.timeoutMs);
  }
}

type Body = Dispatcher.ResponseData['body'];

/** Reads at most `maxBytes`, then destroys the stream so a huge or endless body stops at once. */
async function readBounded(
  body: Body,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ body: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const stop = () => body.destroy();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const room = maxBytes - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size >= maxBytes) {
        truncated = true;
        break;
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    if (!body.destroyed) body.destroy();
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated };
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'HPE_INVALID_CONSTANT']);

/** Turns undici/net/TLS errors into a short, stable description (never the raw error text). */
export function classifyFailure(e: unknown, timeoutMs: number): HttpFailure {
  const code = errorCode(e);
  if (TIMEOUT_CODES.has(code)) return new HttpFailure('timeout', `no complete answer within ${timeoutMs} ms`);
  if (code === 'ECONNREFUSED') return new HttpFailure('refused', 'connection refused');
  if (RESET_CODES.has(code)) return new HttpFailure('reset', 'connection reset or closed by the server');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpFailure('dns', `host not found (${code})`);
  if (/CERT|SELF_SIGNED|ERR_TLS|ERR_SSL|UNABLE_TO_VERIFY/.test(code)) {
    return new HttpFailure('tls', `TLS certificate not trusted (${code})`);
  }
  // Anything can be thrown, null included.
  const name = (e as Error | null | undefined)?.name;
  if (code === 'UND_ERR_ABORTED' || name === 'AbortError') return new HttpFailure('aborted', 'cancelled');
  return new HttpFailure('other', `request failed (${code || name || 'unknown error'})`);
}

function errorCode(e: unknown): string {
  let current: unknown = e;
  for (let depth = 0; current && depth < 4; depth++) {
    const err = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof err.code === 'string' && err.code) return err.code;
    current = err.errors?.[0] ?? err.cause;
  }
  return '';
}
