/**
 * `/logs <service> follow`: live tails posted into a thread. One tail per service in this process;
 * lines are batched into at most one message per 2 s; each tail ends exactly once (Stop, its time,
 * the bot's shutdown, or a failure) with one closing message, and the parent loses its button.
 */
import { randomUUID } from 'node:crypto';
import type { Queries } from '../engine/api';
import type { Clock } from '../engine/ports';
import type { LogEvent } from '../engine/types';
import { describeError } from '../errors';
import type { Logger } from '../logger';
import type { BotClient } from './bot-client';
import { asBlocks, sanitise, type SlackMessage } from './views/blocks';
import {
  tailBatchView,
  tailClosedView,
  tailEndedView,
  tailRunningView,
  type TailEnd,
  type TailHead,
} from './views/log-tail';

/** At most one batch message per this long. */
export const TAIL_BATCH_MS = 2000;
/** Lines kept waiting for the next batch at most; older ones are dropped (counted in the batch). */
const MAX_PENDING = 500;

export interface LogTailsOptions {
  engine: Pick<Queries, 'tailLogs'>;
  client: BotClient;
  logger: Logger;
  clock: Clock;
}

export interface TailStartRequest {
  service: string;
  pattern?: string;
  forMs: number;
  channel: string;
  /** Display name of who asked. */
  startedBy: string;
}

export type TailStart = { ok: true; id: string } | { ok: false; text: string };

interface Tail {
  head: TailHead;
  channel: string;
  abort: AbortController;
  end?: { why: TailEnd; detail?: string };
  /** Resolves once the closing message went out. */
  done?: Promise<void>;
  /** Wakes the batching loop early (a stop). */
  wake(): void;
}

export class LogTails {
  private readonly tails = new Map<string, Tail>();
  private closed = false;

  constructor(private readonly o: LogTailsOptions) {}

  /** Who runs a tail of `service` right now, if anyone. */
  runningFor(service: string): string | undefined {
    return this.tails.get(service)?.head.startedBy;
  }

  /** Starts a tail unless one of the service runs already or the bot is stopping; posts its parent first. */
  async start(req: TailStartRequest): Promise<TailStart> {
    if (this.closed) return { ok: false, text: ':hourglass: The bot is shutting down; try again in a minute.' };
    const running = this.runningFor(req.service);
    if (running !== undefined) return { ok: false, text: alreadyRunning(req.service, running) };
    const head: TailHead = {
      service: req.service,
      pattern: req.pattern ?? '',
      forMs: req.forMs,
      startedBy: req.startedBy,
      id: randomUUID(),
    };
    const tail: Tail = { head, channel: req.channel, abort: new AbortController(), wake: () => undefined };
    this.tails.set(req.service, tail);
    let ts: string;
    try {
      const posted = await this.post(req.channel, tailRunningView(head));
      ts = posted.ts ?? '';
    } catch (e) {
      this.tails.delete(req.service);
      this.o.logger.warn({ err: e, service: req.service }, 'cannot post the log tail');
      return {
        ok: false,
        text: `:warning: I could not post in this channel (${describeError(e, 100)}); invite me and try again.`,
      };
    }
    tail.done = this.run(tail, ts).finally(() => this.tails.delete(req.service));
    return { ok: true, id: head.id };
  }

  /** Ends the tail with this id (the Stop button); false when no such tail runs (it ended already). */
  stop(id: string, by: string): boolean {
    const tail = [...this.tails.values()].find((t) => t.head.id === id);
    if (!tail || tail.end) return false;
    this.finish(tail, 'button', by);
    return true;
  }

  /** The tail with this id, if it runs: for checking who may stop it. */
  serviceOf(id: string): string | undefined {
    return [...this.tails.values()].find((t) => t.head.id === id)?.head.service;
  }

  /** Refuses new tails, ends the running ones and waits (at most `timeoutMs`) for their closing messages. */
  async stopAll(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    const running = [...this.tails.values()];
    for (const tail of running) this.finish(tail, 'shutdown');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(running.flatMap((t) => (t.done ? [t.done] : []))), late]);
    clearTimeout(timer);
  }

  private finish(tail: Tail, why: TailEnd, detail?: string): void {
    if (tail.end) return;
    tail.end = { why, detail };
    tail.abort.abort();
    tail.wake();
  }

  /** Pumps lines in, posts a batch at most every TAIL_BATCH_MS, then the one closing message. */
  private async run(tail: Tail, ts: string): Promise<void> {
    const { clock } = this.o;
    const pending: LogEvent[] = [];
    let posted = 0;
    const pump = this.pump(tail, ts, pending);
    const deadline = clock.now() + tail.head.forMs;
    while (!tail.end) {
      const wait = Math.max(0, Math.min(TAIL_BATCH_MS, deadline - clock.now()));
      const woken = new AbortController();
      tail.wake = () => woken.abort();
      await clock.sleep(wait, woken.signal);
      if (ended(tail)) break;
      if (pending.length) posted += await this.postBatch(tail, ts, pending.splice(0));
      if (clock.now() >= deadline) this.finish(tail, 'time');
    }
    await pump;
    const { why, detail } = endOf(tail);
    const last = pending.splice(0);
    const closing = tailClosedView(tail.head.service, why, posted + last.length, detail);
    const blocks = last.length ? [...tailBatchView(tail.head.service, last).blocks, ...closing.blocks] : closing.blocks;
    await this.post(tail.channel, { text: closing.text, blocks }, ts).catch((e: unknown) =>
      this.o.logger.warn({ err: e, service: tail.head.service }, 'cannot post the end of a log tail'),
    );
    await this.o.client.chat
      .update({ channel: tail.channel, ts, ...slackBody(tailEndedView(tail.head, posted + last.length)) })
      .catch((e: unknown) => this.o.logger.warn({ err: e, service: tail.head.service }, 'cannot update a log tail'));
  }

  /** Reads the engine's tail into `pending` until the tail ends; a failure ends it. */
  private async pump(tail: Tail, ts: string, pending: LogEvent[]): Promise<void> {
    try {
      const items = this.o.engine.tailLogs({
        service: tail.head.service,
        pattern: tail.head.pattern || undefined,
        signal: tail.abort.signal,
      });
      for await (const item of items) {
        if (item.kind === 'started') tail.head.pattern = item.pattern;
        else if (item.kind === 'polling') await this.notePolling(tail, ts, item.reason);
        else pending.push(...item.events);
        if (pending.length > MAX_PENDING) pending.splice(0, pending.length - MAX_PENDING);
      }
      this.finish(tail, 'error', 'the log stream ended');
    } catch (e) {
      this.o.logger.warn({ err: e, service: tail.head.service }, 'log tail failed');
      this.finish(tail, 'error', describeError(e, 200));
    }
  }

  /** The fallback is said once, on the parent (not as another thread message). */
  private async notePolling(tail: Tail, ts: string, reason: string): Promise<void> {
    tail.head.polling = reason;
    await this.o.client.chat
      .update({ channel: tail.channel, ts, ...slackBody(tailRunningView(tail.head)) })
      .catch((e: unknown) => this.o.logger.warn({ err: e, service: tail.head.service }, 'cannot update a log tail'));
  }

  private async postBatch(tail: Tail, ts: string, events: LogEvent[]): Promise<number> {
    try {
      await this.post(tail.channel, tailBatchView(tail.head.service, events), ts);
    } catch (e) {
      // A lost batch only leaves a gap in the thread; the tail goes on.
      this.o.logger.warn({ err: e, service: tail.head.service }, 'cannot post log lines');
    }
    return events.length;
  }

  private post(channel: string, msg: SlackMessage, threadTs?: string) {
    return this.o.client.chat.postMessage({
      channel,
      ...slackBody(msg),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
  }
}

/** How the tail ended (the loop only leaves once it did). */
function endOf(tail: Tail): { why: TailEnd; detail?: string } {
  return tail.end ?? { why: 'error', detail: 'ended without a reason' };
}

/** Whether the tail ended meanwhile (a stop can land during any await). */
function ended(tail: Tail): boolean {
  return tail.end !== undefined;
}

function slackBody(msg: SlackMessage) {
  return { text: msg.text, blocks: asBlocks(msg.blocks) };
}

function alreadyRunning(service: string, startedBy: string): string {
  return `:no_entry: A log tail of ${service} is already running (started by ${sanitise(startedBy, 80)}); stop it first or follow its thread.`;
}
