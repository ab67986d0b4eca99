/**
 * A fake Slack Web API on 127.0.0.1: answers the methods the bot uses, records every call
 * (with the time it arrived), and can be told to answer 429 (with Retry-After), 500 or an error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { JsonDoc } from '../../json';

export interface SlackCall {
  method: string;
  body: JsonDoc;
  at: number;
  /** The status we answered with. */
  status: number;
  /** The `ts` we gave a posted message. */
  ts?: string;
}

export type Failure = { status: 429; retryAfter: number } | { status: 500 } | { error: string };

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly groups = new Map<string, string[]>();
  private server: Server | null = null;
  private port = 0;
  private tsCounter = 100;
  private readonly canned = new Map<string, Record<string, unknown>>();
  private upgradeHandler: ((req: IncomingMessage, socket: Socket) => void) | null = null;

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await fake.listen();
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.baseUrl}/respond/${id}`;
  }

  setGroup(id: string, users: string[]): void {
    this.groups.set(id, users);
  }

  /** Answers `method` with `body` from now on. */
  answerWith(method: string, body: Record<string, unknown>): void {
    this.canned.set(method, body);
  }

  /** Handles WebSocket upgrades (Socket Mode). */
  onUpgrade(handler: (req: IncomingMessage, socket: Socket) => void): void {
    this.upgradeHandler = handler;
  }

  /** The next `times` calls of `method` fail as given. */
  failNext(method: string, times: number, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(failure);
    this.failures.set(method, list);
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200 && !c.body.__failed);
  }

  /** Successful chat.postMessage calls that are replies in the thread of `ts`. */
  replies(ts: string): SlackCall[] {
    return this.of('chat.postMessage').filter((c) => c.body.thread_ts === ts);
  }

  /** What a response_url received. */
  responses(): SlackCall[] {
    return this.calls.filter((c) => c.method === 'respond');
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      // A client that goes away mid-request (a bot process killed while it posts) aborts the body:
      // that request is over, and nothing else is wrong.
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket) =>
      this.upgradeHandler ? this.upgradeHandler(req, socket) : socket.destroy(),
    );
    return new Promise((resolve) => {
      this.server!.listen(0, '127.0.0.1', () => {
        this.port = (this.server!.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = req.url ?? '/';
    if (url.startsWith('/respond/')) {
      this.record('respond', { ...safeJson(raw.toString('utf8')), __id: url.slice(9) }, 200);
      send(res, 200, { ok: true });
      return;
    }
    if (url.startsWith('/upload/')) {
      this.record('upload', { size: raw.length, __id: url.slice(8) }, 200);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      return;
    }
    const method = url.replace(/^\/api\//, '').split('?')[0];
    const body = parseForm(raw.toString('utf8'), req.headers['content-type'] ?? '');
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ('status' in failure) {
        this.record(method, { ...body, __failed: true }, failure.status);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (failure.status === 429) headers['retry-after'] = String(failure.retryAfter);
        res
          .writeHead(failure.status, headers)
          .end(JSON.stringify({ ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal' }));
        return;
      }
      this.record(method, { ...body, __failed: true }, 200);
      send(res, 200, { ok: false, error: failure.error });
      return;
    }
    const answer = this.answer(method, body);
    this.record(method, body, 200);
    if (method === 'chat.postMessage') this.calls[this.calls.length - 1].ts = String(answer.ts);
    send(res, 200, answer);
  }

  private record(method: string, body: JsonDoc, status: number): void {
    this.calls.push({ method, body, at: Date.now(), status });
  }

  private answer(method: string, body: JsonDoc): Record<string, unknown> {
    const canned = this.canned.get(method);
    if (canned) return canned;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'ecs-chatops' };
      case 'chat.postMessage': {
        this.tsCounter += 1;
        return { ok: true, channel: body.channel, ts: `1700000000.${String(this.tsCounter).padStart(6, '0')}` };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: '1700000000.999999' };
      case 'usergroups.users.list': {
        const users = this.groups.get(body.usergroup);
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${this.baseUrl}/upload/F1`, file_id: 'F1' };
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F1', title: 'report' }] };
      default:
        return { ok: true };
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function safeJson(text: string): JsonDoc {
  try {
    return JSON.parse(text) as JsonDoc;
  } catch {
    return { raw: text.slice(0, 200) };
  }
}

/** The Web API client sends forms whose complex values are JSON strings. */
function parseForm(text: string, contentType: string): JsonDoc {
  if (contentType.includes('application/json')) return safeJson(text);
  const out: JsonDoc = {};
  for (const [k, v] of new URLSearchParams(text)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}
