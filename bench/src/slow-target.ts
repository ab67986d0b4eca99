/**
 * A healthy service whose every endpoint answers after a fixed delay: the target of the smoke
 * wall-time measurement. Answers exactly what the ten checks expect, so they all pass.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listen } from '../../src/sim/listen';

export const TARGET_SHA = '0123456789abcdef0123456789abcdef01234567';
export const TARGET_ORIGIN = 'https://app.example.com';

export interface SlowTarget {
  baseUrl: string;
  /** A plain-HTTP address that redirects to https, for the HTTPS check. */
  httpUrl: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

/** @throws Error when no port can be bound. */
export async function startSlowTarget(delayMs: number): Promise<SlowTarget> {
  const { server, url: baseUrl } = await listen(async (req, res) => {
    req.resume();
    setTimeout(() => answer(req, res), delayMs);
  });
  return { baseUrl, httpUrl: `${baseUrl}/plain-http`, close: () => closeServer(server) };
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  const json = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
    res
      .writeHead(status, { 'content-type': 'application/json', ...SECURITY_HEADERS, ...extra })
      .end(JSON.stringify(body));
  };
  switch (path) {
    case '/api/v1/version': {
      json(200, { gitSha: TARGET_SHA, buildTime: '2026-01-01T00:00:00Z' });
      return;
    }
    case '/api/v1/health/live': {
      json(200, { status: 'ok' }, { 'access-control-allow-origin': TARGET_ORIGIN, vary: 'Origin' });
      return;
    }
    case '/api/v1/health/ready': {
      json(200, { ready: true, database: 'connected' });
      return;
    }
    case '/api/v1/clients': {
      json(401, { error: 'unauthorized' });
      return;
    }
    case '/plain-http':
      res.writeHead(301, { location: 'https://app.example.com/api/v1/health/live' }).end();
      return;
    case '/': {
      json(200, { name: 'bench-target' });
      return;
    }
    default: {
      json(404, { error: 'not found' });
      return;
    }
  }
}
