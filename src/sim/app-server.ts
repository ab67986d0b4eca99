/**
 * The fake application behind the load balancer: the deployment guide's backend endpoints,
 * answering with the git SHA of the image the service actually runs, plus a plain-HTTP
 * listener that redirects to HTTPS the way an ALB's port-80 rule does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fakeGitSha } from './ids';
import { imageOfTaskDefinition } from './images';
import { activeBlueGreen, blueOf, greenOf } from './bluegreen';
import { TEST_TRAFFIC_HEADER } from './elb-handlers';
import type { SimDeployment, SimService, SimState } from './model';

/** Which listener a request came through: production, or the test listener that reaches green first. */
export type TrafficLane = 'production' | 'test';

export const CORS_ORIGIN = 'https://app.demo.example';
const WRONG_SHA = fakeGitSha('a commit nobody deployed');

export interface AppDeps {
  state: SimState;
  sleep(ms: number): Promise<void>;
  /** How long `slow-app` takes to answer. */
  slowAppMs: number;
}

/** The deployment whose tasks the load balancer reaches: the PRIMARY one once it runs tasks, else whichever does. */
export function servingDeployment(service: SimService): SimDeployment | undefined {
  const running = (d: SimDeployment) => service.tasks.some((t) => t.deploymentId === d.id && t.state === 'RUNNING');
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (primary && running(primary)) return primary;
  return service.deployments.find(running);
}

/**
 * The deployment a request reaches. During a blue/green-family deployment the listener rule's
 * weights decide between blue and green (spread evenly over requests); otherwise as `servingDeployment`.
 */
export function routedDeployment(service: SimService, lane: TrafficLane): SimDeployment | undefined {
  const record = activeBlueGreen(service);
  if (!record?.traffic) return servingDeployment(service);
  const running = (d: SimDeployment | undefined) =>
    d !== undefined && service.tasks.some((t) => t.deploymentId === d.id && t.state === 'RUNNING');
  const green = greenOf(service, record);
  const blue = blueOf(service, record);
  service.requests += 1;
  const toGreen = (service.requests * 37) % 100 < record.traffic[lane];
  if (toGreen && running(green)) return green;
  return running(blue) ? blue : servingDeployment(service);
}

function securityHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Content-Type-Options': 'nosniff',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'self'",
    Vary: 'Origin',
  };
  if (req.headers.origin === CORS_ORIGIN) {
    headers['Access-Control-Allow-Origin'] = CORS_ORIGIN;
    headers['Access-Control-Allow-Credentials'] = 'true';
  }
  return headers;
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...securityHeaders(req),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function leakyError(path: string): Record<string, unknown> {
  return {
    error: 'PrismaClientKnownRequestError',
    message: `Invalid \`prisma.client.findMany()\` invocation: SELECT "clients"."id", "clients"."email" FROM "public"."clients" WHERE "clients"."email" = 'jane.doe@example.com' (path ${path})`,
    stack:
      'PrismaClientKnownRequestError: relation "clients" does not exist\n' +
      '    at PrismaClient._request (/app/node_modules/@prisma/client/runtime/library.js:121:6870)\n' +
      '    at async ClientController.list (/app/dist/controllers/client.controller.js:42:19)',
  };
}

function versionBody(state: SimState, service: SimService, deployment: SimDeployment): Record<string, unknown> {
  const image = imageOfTaskDefinition(state, service, deployment.taskDefinition);
  const sha = deployment.scenario === 'wrong-version' ? WRONG_SHA : (image?.sha ?? 'unknown');
  return {
    gitSha: sha,
    buildTime: image ? new Date(image.pushedAt.getTime() - 120_000).toISOString() : null,
    nodeEnv: 'production',
    version: '1.4.2',
    service: service.name,
  };
}

function route(
  state: SimState,
  service: SimService,
  deployment: SimDeployment,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const path = (req.url ?? '/').split('?')[0];
  const leaky = deployment.scenario === 'leaky-errors';
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...securityHeaders(req),
      'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type,Authorization',
    });
    res.end();
    return;
  }
  const now = new Date().toISOString();
  switch (path) {
    case '/': {
      sendJson(req, res, 200, { name: `${service.name} API`, status: 'ok' });
      return;
    }
    case '/api/v1/version': {
      sendJson(req, res, 200, versionBody(state, service, deployment));
      return;
    }
    case '/api/v1/health/live': {
      sendJson(req, res, 200, { success: true, status: 'alive', timestamp: now });
      return;
    }
    case '/api/v1/health/ready':
      if (deployment.sick) {
        sendJson(req, res, 500, {
          success: false,
          ready: false,
          error: 'database connection pool exhausted',
          timestamp: now,
        });
        return;
      }
      {
        sendJson(req, res, 200, { success: true, ready: true, timestamp: now });
        return;
      }
    case '/api/v1/clients': {
      if (leaky) sendJson(req, res, 500, leakyError(path));
      else sendJson(req, res, 401, { error: 'Unauthorized' });
      return;
    }
    default: {
      if (leaky) sendJson(req, res, 500, leakyError(path));
      else sendJson(req, res, 404, { error: 'Not Found' });
      return;
    }
  }
}

function unavailable(res: ServerResponse): void {
  const body = '<html><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>';
  res.writeHead(503, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Handles one request to a service's app, as its load balancer would: through the production listener,
 * or the test listener (its own port, or the production URL with the test rule's header).
 */
export async function handleAppRequest(
  deps: AppDeps,
  service: SimService,
  req: IncomingMessage,
  res: ServerResponse,
  lane: TrafficLane = 'production',
): Promise<void> {
  req.resume();
  const viaHeader = req.headers[TEST_TRAFFIC_HEADER.name] === TEST_TRAFFIC_HEADER.value;
  const deployment = routedDeployment(service, viaHeader ? 'test' : lane);
  if (!deployment) {
    unavailable(res);
    return;
  }
  if (deployment.scenario === 'slow-app') await deps.sleep(deps.slowAppMs);
  if (res.destroyed) return;
  route(deps.state, service, deployment, req, res);
}

/** The plain-HTTP listener: 301 to HTTPS, or (in `no-https-redirect`) the app itself over HTTP. */
export async function handleHttpRequest(
  deps: AppDeps,
  service: SimService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (servingDeployment(service)?.scenario === 'no-https-redirect') return handleAppRequest(deps, service, req, res);
  req.resume();
  const host = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
  res.writeHead(301, { Location: `https://${host}${req.url ?? '/'}`, 'Content-Length': '0' });
  res.end();
}
