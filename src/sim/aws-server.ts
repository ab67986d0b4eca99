/**
 * The fake AWS endpoint: one HTTP server that answers ECS, ECR and CloudWatch Logs (JSON 1.1,
 * routed by `X-Amz-Target`) and ELBv2 (Query protocol, routed by `Action`), records every call,
 * and offers `/_sim/*` control routes.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { SimCall } from './calls';
import { handleControl, type SimControl } from './control';
import { ecrHandlers } from './ecr-handlers';
import { deploymentHandlers, serviceDeploymentsGate } from './ecs-deployment-handlers';
import { ecsHandlers, type Handler } from './ecs-handlers';
import { taskHandlers } from './ecs-task-handlers';
import { ELB_NAMESPACE, ELB_VERSION, elbHandlers } from './elb-handlers';
import type { AwsService, FaultInjector } from './faults';
import { requestId } from './ids';
import { listen } from './listen';
import { LiveTailSession } from './live-tail';
import { logsHandlers } from './logs-handlers';
import type { SimState } from './model';
import { outageError } from './outage';
import {
  AwsError,
  HtmlPageError,
  jsonErrorBody,
  parseQueryBody,
  toJsonBody,
  xmlErrorBody,
  xmlResponseBody,
} from './wire';

const MAX_BODY = 5 * 1024 * 1024;

const TARGET_PREFIXES: Partial<Record<string, { service: AwsService; handlers: Record<string, Handler> }>> = {
  AmazonEC2ContainerServiceV20141113: {
    service: 'ecs',
    handlers: { ...ecsHandlers, ...taskHandlers, ...deploymentHandlers },
  },
  AmazonEC2ContainerRegistry_V20150921: { service: 'ecr', handlers: ecrHandlers },
  Logs_20140328: { service: 'logs', handlers: logsHandlers },
};

export interface AwsServerDeps {
  state: SimState;
  faults: FaultInjector;
  control: SimControl;
  record(call: SimCall): void;
  /** Waits `ms` unless the world closes first. */
  sleep(ms: number): Promise<void>;
}

interface ParsedCall {
  service: AwsService;
  operation: string;
  params: Record<string, unknown>;
  handler?: Handler;
  protocol: 'json' | 'query';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AwsError('SerializationException', 'Request body too large.', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @throws AwsError for requests no AWS service here understands. */
function parseCall(req: IncomingMessage, body: string): ParsedCall {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const dot = target.lastIndexOf('.');
    const known = TARGET_PREFIXES[target.slice(0, dot)];
    if (!known) throw new AwsError('UnknownOperationException', `Unknown target ${target.slice(0, 100)}`);
    const operation = target.slice(dot + 1);
    let params: Record<string, unknown>;
    try {
      params = body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      throw new AwsError('SerializationException', 'Request body is not valid JSON.');
    }
    return { service: known.service, operation, params, handler: known.handlers[operation], protocol: 'json' };
  }
  const query = parseQueryBody(body);
  if (!query.action) throw new AwsError('UnknownOperationException', 'Missing X-Amz-Target or Action.');
  if (query.version !== ELB_VERSION)
    throw new AwsError('InvalidAction', `Unsupported API version ${query.version.slice(0, 20)}.`);
  return {
    service: 'elbv2',
    operation: query.action,
    params: query.params,
    handler: elbHandlers[query.action],
    protocol: 'query',
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, id: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': id,
  });
  res.end(body);
}

function answer(res: ServerResponse, call: ParsedCall, outcome: { result?: unknown; error?: AwsError }): number {
  const id = requestId();
  const { error } = outcome;
  if (error instanceof HtmlPageError) {
    send(res, error.status, 'text/html; charset=utf-8', error.page(), id);
  } else if (call.protocol === 'json') {
    if (error) send(res, error.status, 'application/x-amz-json-1.1', jsonErrorBody(error), id);
    else send(res, 200, 'application/x-amz-json-1.1', toJsonBody(outcome.result ?? {}), id);
  } else if (error) {
    send(res, error.status, 'text/xml', xmlErrorBody(error, ELB_NAMESPACE, id), id);
  } else {
    send(res, 200, 'text/xml', xmlResponseBody(call.operation, ELB_NAMESPACE, outcome.result, id), id);
  }
  return error ? error.status : 200;
}

async function runCall(deps: AwsServerDeps, call: ParsedCall): Promise<{ result?: unknown; error?: AwsError }> {
  const fault = deps.faults.decide(deps.state.scenario, call.service, call.operation);
  if (fault.delayMs > 0) await deps.sleep(fault.delayMs);
  if (fault.error) return { error: fault.error };
  const down = outageError(deps.state, call.service, call.operation);
  if (down) return { error: down };
  const gated = call.service === 'ecs' ? serviceDeploymentsGate(deps.state, call.operation) : undefined;
  if (gated) return { error: gated };
  if (!call.handler) {
    const code = call.protocol === 'json' ? 'UnknownOperationException' : 'InvalidAction';
    return { error: new AwsError(code, `The simulator does not implement ${call.operation}.`) };
  }
  try {
    return { result: call.handler(deps.state, call.params) };
  } catch (e) {
    if (e instanceof AwsError) return { error: e };
    return {
      error: new AwsError(
        call.protocol === 'json' ? 'ServerException' : 'InternalFailure',
        'Internal error in the simulator.',
        500,
      ),
    };
  }
}

async function handle(deps: AwsServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: string;
  try {
    body = await readBody(req);
  } catch {
    if (!res.headersSent) res.writeHead(413).end();
    return;
  }
  if ((req.url ?? '').startsWith('/_sim/')) {
    handleControl(deps.control, req, res, body);
    return;
  }
  let call: ParsedCall;
  try {
    call = parseCall(req, body);
  } catch (e) {
    const error = e instanceof AwsError ? e : new AwsError('SerializationException', 'Bad request.');
    send(res, error.status, 'application/x-amz-json-1.1', jsonErrorBody(error), requestId());
    return;
  }
  const record: SimCall = {
    at: Date.now(),
    service: call.service,
    operation: call.operation,
    params: call.params,
    status: 0,
  };
  deps.record(record);
  const outcome = await runCall(deps, call);
  if (res.destroyed) return;
  if (outcome.result instanceof LiveTailSession) {
    record.status = 200;
    await outcome.result.serve(res, req, (ms) => deps.sleep(ms));
    return;
  }
  record.status = answer(res, call, outcome);
}

/**
 * Starts the fake AWS endpoint on 127.0.0.1.
 * @throws Error when the port cannot be bound.
 */
export function startAwsServer(deps: AwsServerDeps, port = 0): Promise<{ server: Server; url: string }> {
  return listen((req, res) => handle(deps, req, res), port);
}
