/**
 * The simulated CloudWatch Logs live tail: `StartLiveTail` answered as AWS does, with an
 * `application/vnd.amazon.eventstream` body (a `sessionStart` frame, then a `sessionUpdate`
 * every second with the lines written since), over HTTP/1.1, which the SDK's Node handler reads.
 * The `liveTailApi` knob turns it into an unknown operation, a denial or an HTML 500 page, as an older
 * endpoint, a role without `logs:StartLiveTail` or an emulator that lacks it answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { compileFilterPattern } from './log-filter';
import type { SimLogEvent, SimLogGroup, SimState } from './model';
import { requestId } from './ids';
import { AwsError, HtmlPageError } from './wire';

/** AWS sends an update about once a second, empty or not. */
const UPDATE_MS = 1000;
/** How often the session looks for new lines between updates. */
const CHECK_MS = 100;
/** AWS samples a busy session down to 500 lines a second. */
const MAX_RESULTS = 500;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** A started session: what the server streams once the call has passed faults and checks. */
export class LiveTailSession {
  constructor(
    private readonly group: SimLogGroup,
    private readonly matches: (message: string) => boolean,
  ) {}

  /** Streams until the client goes away or `closed()` says the world closed. */
  async serve(res: ServerResponse, req: IncomingMessage, sleep: (ms: number) => Promise<void>): Promise<void> {
    const sessionId = requestId();
    let seen = new Set(this.group.events.map((e) => e.eventId));
    // Set by the sockets' close events, which the loop cannot see coming.
    const client = { gone: false };
    req.on('close', () => (client.gone = true));
    res.on('close', () => (client.gone = true));
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': sessionId });
    res.write(frame('sessionStart', { sessionId, logGroupIdentifiers: [this.group.arn.replace(/:\*$/, '')] }));
    let lastUpdate = Date.now();
    const open = () => !client.gone && !res.destroyed;
    while (open()) {
      await sleep(CHECK_MS);
      if (!open()) break;
      const fresh = this.group.events.filter((e) => !seen.has(e.eventId) && this.matches(e.message));
      if (!fresh.length && Date.now() - lastUpdate < UPDATE_MS) continue;
      seen = new Set(this.group.events.map((e) => e.eventId));
      lastUpdate = Date.now();
      res.write(frame('sessionUpdate', update(this.group, fresh)));
    }
    if (!res.destroyed) res.end();
  }
}

function update(group: SimLogGroup, fresh: SimLogEvent[]) {
  return {
    sessionMetadata: { sampled: fresh.length > MAX_RESULTS },
    sessionResults: fresh.slice(-MAX_RESULTS).map((e) => ({
      logStreamName: e.logStreamName,
      logGroupIdentifier: group.arn.replace(/:\*$/, ''),
      message: e.message,
      timestamp: e.timestamp,
      ingestionTime: e.ingestionTime,
    })),
  };
}

function frame(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(body), 'utf8')),
  });
}

/**
 * `StartLiveTail`: one log group by ARN (or name), an optional filter pattern.
 * @throws AwsError `UnknownOperationException` / `AccessDeniedException` / an HTML 500 (the knob), `ResourceNotFoundException`, `InvalidParameterException`.
 */
export function startLiveTail(state: SimState, params: Record<string, unknown>): LiveTailSession {
  if (state.knobs.liveTailApi === 'missing')
    throw new AwsError('UnknownOperationException', 'The simulator does not implement StartLiveTail.');
  if (state.knobs.liveTailApi === 'html-500') throw new HtmlPageError('StartLiveTail');
  if (state.knobs.liveTailApi === 'denied')
    throw new AwsError(
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/ecs-chatops/sim is not authorized to perform: logs:StartLiveTail',
      403,
    );
  const ids = params.logGroupIdentifiers;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 10 || !ids.every((id) => typeof id === 'string'))
    throw new AwsError('InvalidParameterException', 'logGroupIdentifiers must name 1 to 10 log groups.');
  const ref = ids[0];
  const name = ref.startsWith('arn:') ? ref.split(':log-group:')[1]?.replace(/:\*$/, '') : ref;
  const group = name ? state.logGroups.get(name) : undefined;
  if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  const pattern = typeof params.logEventFilterPattern === 'string' ? params.logEventFilterPattern : undefined;
  return new LiveTailSession(group, compileFilterPattern(pattern));
}
