/**
 * A local stand-in for the Slack Web API (reached through SLACK_API_URL): answers the methods the
 * bot uses and records each call's method, arrival time and message identity, nothing more.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listen } from '../../src/sim/listen';

export interface SlackApiCall {
  /** Web API method (`chat.update`), or `respond` for a response_url, `upload` for a file body. */
  method: string;
  /** Epoch ms when the request arrived. */
  at: number;
  channel?: string;
  /** The message a `chat.update` edits, or the `ts` given to a posted message. */
  ts?: string;
  threadTs?: string;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  broadcast?: boolean;
  /** The first 300 characters of a posted message's `text`. */
  text?: string;
}

export interface FakeSlackApi {
  /** `http://127.0.0.1:PORT/api/` */
  apiUrl: string;
  baseUrl: string;
  calls(): SlackApiCall[];
  clear(): void;
  close(): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;

/** Starts the fake on an ephemeral port of 127.0.0.1. */
export async function startFakeSlack(): Promise<FakeSlackApi> {
  let calls: SlackApiCall[] = [];
  let seq = 0;
  const { server, url: baseUrl } = await listen((req, res) =>
    readForm(req).then(
      (form) => {
        const answer = answerFor(req.url ?? '/', form, () => (seq += 1), baseUrl);
        calls.push({ ...answer.call, at: Date.now() });
        send(res, answer.body);
      },
      () => {
        res.writeHead(413).end();
      },
    ),
  );
  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    calls: () => calls.slice(),
    clear: () => {
      calls = [];
    },
    close: () => closeServer(server),
  };
}

function answerFor(
  url: string,
  form: URLSearchParams,
  nextSeq: () => number,
  baseUrl: string,
): { call: Omit<SlackApiCall, 'at'>; body: unknown } {
  if (url.startsWith('/respond/')) return { call: { method: 'respond' }, body: { ok: true } };
  if (url.startsWith('/upload/')) return { call: { method: 'upload' }, body: 'OK' };
  const method = url.replace(/^\/api\//, '').split('?')[0];
  const channel = form.get('channel') ?? form.get('channel_id') ?? undefined;
  const threadTs = form.get('thread_ts') ?? undefined;
  switch (method) {
    case 'auth.test':
      return {
        call: { method },
        body: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'ecs-chatops' },
      };
    case 'chat.postMessage': {
      const ts = `1700000000.${String(nextSeq()).padStart(6, '0')}`;
      const broadcast = form.get('reply_broadcast') === 'true';
      const text = (form.get('text') ?? '').slice(0, 300);
      return { call: { method, channel, ts, threadTs, broadcast, text }, body: { ok: true, channel, ts } };
    }
    case 'chat.update': {
      const ts = form.get('ts') ?? undefined;
      return { call: { method, channel, ts }, body: { ok: true, channel, ts } };
    }
    case 'files.getUploadURLExternal':
      return { call: { method }, body: { ok: true, upload_url: `${baseUrl}/upload/F${nextSeq()}`, file_id: 'F1' } };
    case 'files.completeUploadExternal':
      return { call: { method, channel, threadTs }, body: { ok: true, files: [{ id: 'F1', title: 'report' }] } };
    case 'usergroups.users.list':
      return { call: { method }, body: { ok: true, users: [] } };
    default:
      return { call: { method, channel }, body: { ok: true } };
  }
}

/** The Web API client posts forms; response_url posts are JSON (only their arrival matters here). */
function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.destroy();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const json = (req.headers['content-type'] ?? '').includes('application/json');
      resolve(json ? jsonToForm(text) : new URLSearchParams(text));
    });
    req.on('error', reject);
  });
}

function jsonToForm(text: string): URLSearchParams {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') form.set(k, v);
    return form;
  } catch {
    return new URLSearchParams();
  }
}

function send(res: ServerResponse, body: unknown): void {
  if (typeof body === 'string') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
