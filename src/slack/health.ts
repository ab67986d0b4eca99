/** `/healthz`: 200 when the store answers and Slack was reachable on the last call, 503 with the reason otherwise. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SlackHealth } from './slack-client';

export interface HealthSources {
  slack: SlackHealth;
  storeHealthy?: () => boolean;
}

export function healthBody(sources: HealthSources): { code: number; body: Record<string, unknown> } {
  let store = true;
  try {
    store = sources.storeHealthy ? sources.storeHealthy() : true;
  } catch {
    store = false;
  }
  const slack = sources.slack.ok;
  if (store && slack) return { code: 200, body: { status: 'ok', store, slack } };
  const reasons = [...(store ? [] : ['store unreachable']), ...(slack ? [] : [sources.slack.reason])];
  return { code: 503, body: { status: 'unavailable', store, slack, reason: reasons.join('; ') } };
}

export function healthHandler(sources: HealthSources) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const { code, body } = healthBody(sources);
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
}

/** Socket Mode has no HTTP receiver: a tiny server answers `/healthz` alone. */
export function startHealthServer(port: number, sources: HealthSources): Promise<Server> {
  const handler = healthHandler(sources);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') return handler(req, res);
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
