/**
 * `/healthz`: 200 when the store answers and Slack was reachable on the last call, 503 with the
 * reason otherwise. The body names the store (`sqlite` or `dynamodb`, and which file or table).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { StorePort } from '../engine/ports';
import { describeError } from '../errors';
import type { SlackHealth } from './slack-client';
import { withTimeout } from './with-timeout';

/** The store as `/healthz` sees it: what it is, and a ping. */
export type StoreHealthSource = Pick<StorePort, 'describe' | 'ping'>;

export interface HealthSources {
  slack: SlackHealth;
  store?: StoreHealthSource;
  /** How long a ping may take before the store counts as unreachable (default 2 s). */
  storeTimeoutMs?: number;
}

interface StoreView {
  ok: boolean;
  kind: string;
  where: string;
  reason?: string;
}

/** Pings the store, never for longer than `timeoutMs`, and never throws. */
export async function checkStore(store: StoreHealthSource, timeoutMs: number): Promise<StoreView> {
  const at = store.describe.indexOf(':');
  const named = {
    kind: at < 0 ? store.describe : store.describe.slice(0, at),
    where: at < 0 ? '' : store.describe.slice(at + 1),
  };
  try {
    await withTimeout(store.ping(), timeoutMs);
    return { ok: true, ...named };
  } catch (e) {
    // Not swallowed: /healthz answers 503 with this reason.
    return { ok: false, ...named, reason: `store ${store.describe}: ${describeError(e, 300)}` };
  }
}

export async function healthBody(sources: HealthSources): Promise<{ code: number; body: Record<string, unknown> }> {
  const store = sources.store ? await checkStore(sources.store, sources.storeTimeoutMs ?? 2000) : null;
  const storeOk = store?.ok ?? true;
  const slack = sources.slack.ok;
  const named = store ? { storeKind: store.kind, storeAt: store.where } : {};
  if (storeOk && slack) return { code: 200, body: { status: 'ok', store: true, slack, ...named } };
  const reasons = [...(store?.reason ? [store.reason] : []), ...(slack ? [] : [sources.slack.reason])];
  return { code: 503, body: { status: 'unavailable', store: storeOk, slack, ...named, reason: reasons.join('; ') } };
}

export function healthHandler(sources: HealthSources) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void healthBody(sources).then(({ code, body }) => {
      res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    });
  };
}

/** Socket Mode has no HTTP receiver: a tiny server answers `/healthz` alone. */
export function startHealthServer(port: number, sources: HealthSources): Promise<Server> {
  const handler = healthHandler(sources);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') {
      handler(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
