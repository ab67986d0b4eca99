/**
 * `/healthz`: 200 when the store answers and Slack was reachable on the last call, 503 with the
 * reason otherwise. Anyone who can reach the port may ask, so the body names the kind of store
 * (`sqlite` or `dynamodb`) and never where it is: no file path, no table, no path in a reason.
 * The full error goes to the log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { StorePort } from '../engine/ports';
import { describeError } from '../errors';
import type { Logger } from '../logger';
import type { SlackHealth } from './slack-client';
import { withTimeout } from './with-timeout';

/** The store as `/healthz` sees it: what it is, and a ping. */
export type StoreHealthSource = Pick<StorePort, 'describe' | 'ping'>;

export interface HealthSources {
  slack: SlackHealth;
  store?: StoreHealthSource;
  /** How long a ping may take before the store counts as unreachable (default 2 s). */
  storeTimeoutMs?: number;
  /** Where a failed ping is logged in full. */
  logger?: Logger;
}

interface StoreView {
  ok: boolean;
  kind: string;
  reason?: string;
}

/** The store's own location, and any word with a slash in it (`/var/lib/x.db`, `data/x.db`, `C:\\x.db`, a URL). */
function withoutPaths(text: string, where: string): string {
  const named = where ? text.split(where).join('(the store)') : text;
  return named.replace(/[^\s'"`,;()]*[\\/][^\s'"`,;()]*/g, '(a path)');
}

/** Pings the store, never for longer than `timeoutMs`, and never throws. */
export async function checkStore(store: StoreHealthSource, timeoutMs: number, logger?: Logger): Promise<StoreView> {
  const at = store.describe.indexOf(':');
  const kind = at < 0 ? store.describe : store.describe.slice(0, at);
  const where = at < 0 ? '' : store.describe.slice(at + 1);
  try {
    await withTimeout(store.ping(), timeoutMs);
    return { ok: true, kind };
  } catch (e) {
    logger?.warn({ err: e, store: store.describe }, '/healthz: the store did not answer');
    return { ok: false, kind, reason: `store ${kind}: ${withoutPaths(describeError(e, 300), where)}` };
  }
}

export async function healthBody(sources: HealthSources): Promise<{ code: number; body: Record<string, unknown> }> {
  const store = sources.store ? await checkStore(sources.store, sources.storeTimeoutMs ?? 2000, sources.logger) : null;
  const storeOk = store?.ok ?? true;
  const slack = sources.slack.ok;
  const named = store ? { storeKind: store.kind } : {};
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
