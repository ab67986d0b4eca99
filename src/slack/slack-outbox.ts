/**
 * The delivery queue of one thread: the parent message first, then thread replies in order,
 * each paced per channel and taken from the thread's state only when its turn comes (so what
 * arrived meanwhile goes along); the parent's updates go through `ParentUpdater`, coalesced.
 * Rate limits (429 `Retry-After`) and Slack outages pause delivery and retry later; the caller never waits.
 */
import type { Logger } from '../logger';
import { type ChannelPacer, channelPacer } from './channel-pacer';
import { ParentUpdater, type ParentUpdaterHost } from './parent-updater';
import { asBlocks, type SlackMessage } from './views/blocks';
import { classifySlackError, retryDelayMs, slackErrorCode } from './slack-client';
import { fallbackOf, isPaced, sendReply, type MessageRef, type OutgoingReply, type ReplyDeps } from './thread-replies';

export type { MessageRef } from './thread-replies';

/** The Web API calls the outbox needs; a WebClient satisfies it. */
export type OutboxClient = ReplyDeps['client'];

/** Where the outbox finds what to post: the parent rendered at send time, replies taken when their turn comes. */
export interface ThreadSource {
  renderParent(): SlackMessage;
  pending(): boolean;
  /** The next reply, left in place (to know whether it waits for the channel's turn). */
  peek(): OutgoingReply | undefined;
  take(): OutgoingReply | undefined;
}

export interface OutboxOptions {
  client: OutboxClient;
  channel: string;
  source: ThreadSource;
  /** Reads the stored report for the report reply. */
  getReport?: ReplyDeps['getReport'];
  onParentPosted?(ref: MessageRef): void;
  /** Slack refused the parent message for good (e.g. `not_in_channel`): nothing of this thread will be posted. */
  onParentRefused?(error: unknown): void;
  /**
   * Asked before every post and update: false once this process no longer holds the change
   * (another process took it over, its fencing token moved on). Then nothing more is posted.
   */
  stillCurrent?(): Promise<boolean>;
  logger?: Logger;
  /** Least time between two updates of the parent (default 1000 ms: Slack's guidance). */
  minUpdateIntervalMs?: number;
  /** First retry delay after an outage (doubles, up to 30 s). */
  retryBaseMs?: number;
  /** Give up on a message after this long (default 15 minutes). */
  giveUpAfterMs?: number;
  /** Paces chat.update across all threads (default: the process-wide one). */
  updatePacer?: Pick<ChannelPacer, 'turn'>;
  /** Spaces thread replies per channel (default: the process-wide one, 1/s with bursts of 4). */
  replyPacer?: Pick<ChannelPacer, 'turn'>;
}

export class MessageOutbox {
  private parent: MessageRef | null = null;
  private parentWanted = false;
  private disabled = false;
  /** The reply being sent (kept across retries), with when it was taken and how often it was tried. */
  private current: { reply: OutgoingReply; since: number; attempts: number } | null = null;
  private parentSince = 0;
  private pumping = false;
  private pumpTimer: NodeJS.Timeout | null = null;
  private pausedUntil = 0;
  private failures = 0;
  private waiters: (() => void)[] = [];
  private readonly retryBase: number;
  private readonly giveUpAfter: number;
  private readonly updater: ParentUpdater;

  constructor(private readonly options: OutboxOptions) {
    this.retryBase = options.retryBaseMs ?? 1000;
    this.giveUpAfter = options.giveUpAfterMs ?? 15 * 60_000;
    const host: ParentUpdaterHost = {
      client: options.client,
      parent: () => this.parent,
      renderParent: () => options.source.renderParent(),
      pausedUntil: () => this.pausedUntil,
      pauseUntil: (at) => (this.pausedUntil = Math.max(this.pausedUntil, at)),
      settled: () => this.notifyIdle(),
      stillCurrent: () => this.stillCurrent(),
      logger: options.logger,
    };
    this.updater = new ParentUpdater(host, {
      minIntervalMs: options.minUpdateIntervalMs ?? 1000,
      retryBaseMs: this.retryBase,
      giveUpAfterMs: this.giveUpAfter,
      pacer: options.updatePacer,
    });
  }

  get parentRef(): MessageRef | null {
    return this.parent;
  }

  /** Asks for the parent message to be posted (once). */
  startParent(): void {
    if (this.parentWanted || this.disabled) return;
    this.parentWanted = true;
    this.parentSince = Date.now();
    this.kick();
  }

  /** Takes over a parent message posted earlier (a change resumed after a restart): updates go to it. */
  adoptParent(ref: MessageRef): void {
    if (this.disabled) return;
    this.parent = ref;
    this.parentWanted = true;
    this.markDirty();
  }

  /** The thread's state has new replies: post them when their turn comes. */
  wake(): void {
    if (this.disabled) return;
    this.kick();
  }

  /** The state behind the parent changed: update it soon, at most once per interval. */
  markDirty(): void {
    if (this.disabled) return;
    this.updater.markDirty();
  }

  /** Resolves when everything queued has been delivered or given up, or after `timeoutMs`. */
  flush(timeoutMs = 30_000): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiter = (): void => done();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(waiter);
    });
  }

  /** Stops all timers; anything undelivered is dropped. */
  dispose(): void {
    this.disabled = true;
    this.current = null;
    this.updater.dispose();
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
    this.notifyIdle();
  }

  /** False, and the thread silenced for good, once the change belongs to another process. */
  private async stillCurrent(): Promise<boolean> {
    if (this.disabled) return false;
    if (!this.options.stillCurrent || (await this.options.stillCurrent())) return !this.disabled;
    // The engine logs the takeover once; a stale owner posts nothing more.
    this.dispose();
    return false;
  }

  private idle(): boolean {
    if (this.disabled) return true;
    if (!this.parentWanted) return true;
    return (
      this.parent !== null && !this.current && !this.options.source.pending() && !this.pumping && !this.updater.busy()
    );
  }

  private notifyIdle(): void {
    if (!this.idle()) return;
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w();
  }

  // ---------- parent and replies, in order ----------

  private kick(): void {
    if (this.pumping || this.pumpTimer || this.disabled) return;
    void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.disabled) {
        const wait = this.pausedUntil - Date.now();
        if (wait > 0) {
          this.retryLater(wait);
          return;
        }
        if (this.parentWanted && !this.parent) {
          if (!(await this.postParent())) return;
          continue;
        }
        if (!this.parent || (!this.current && !this.options.source.pending())) break;
        if (!(await this.sendNext(this.parent))) return;
      }
    } finally {
      this.pumping = false;
      this.notifyIdle();
    }
  }

  private retryLater(ms: number): void {
    if (this.pumpTimer) return;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = null;
      this.kick();
    }, ms);
  }

  /** @returns false when the pump must stop for now. */
  private async postParent(): Promise<boolean> {
    if (!(await this.stillCurrent())) return false;
    const msg = this.options.source.renderParent();
    try {
      const res = await this.options.client.chat.postMessage({
        channel: this.options.channel,
        text: msg.text,
        blocks: asBlocks(msg.blocks),
        unfurl_links: false,
      });
      this.parent = { channel: res.channel ?? this.options.channel, ts: String(res.ts) };
      this.failures = 0;
      this.options.onParentPosted?.(this.parent);
      // The state may have moved on while the post was in flight.
      this.markDirty();
      return true;
    } catch (e) {
      if (this.handleFailure(e, this.parentSince, 'parent message')) return false;
      this.options.logger?.warn(
        { err: slackErrorCode(e), channel: this.options.channel },
        'cannot post the deploy message; Slack updates for this change are off',
      );
      this.dispose();
      this.options.onParentRefused?.(e);
      return false;
    }
  }

  /** Sends the reply being retried, or the next one once the channel's turn came. */
  private async sendNext(parent: MessageRef): Promise<boolean> {
    const pacer = this.options.replyPacer ?? channelPacer;
    const next = this.current?.reply ?? this.options.source.peek();
    // Wait for the channel's turn first: what arrives meanwhile is taken along with the reply.
    if (next && isPaced(next)) await pacer.turn(parent.channel);
    if (this.disabled) return false;
    if (!this.current) {
      const reply = this.options.source.take();
      if (!reply) return true;
      this.current = { reply, since: Date.now(), attempts: 0 };
    }
    const slot = this.current;
    if (!(await this.stillCurrent())) return false;
    slot.attempts += 1;
    try {
      const instead = await sendReply(slot.reply, parent, slot.attempts, {
        client: this.options.client,
        pacer,
        getReport: this.options.getReport,
      });
      this.current = instead ? { reply: instead, since: Date.now(), attempts: 0 } : null;
      this.failures = 0;
      return true;
    } catch (e) {
      if (this.handleFailure(e, slot.since, slot.reply.kind)) return false;
      const replacement = fallbackOf(slot.reply);
      this.current = replacement ? { reply: replacement, since: Date.now(), attempts: 0 } : null;
      if (!replacement)
        this.options.logger?.warn(
          { err: slackErrorCode(e), item: slot.reply.kind },
          'Slack refused a thread reply; skipped',
        );
      return true;
    }
  }

  /**
   * Pauses the pump when the failure is worth retrying.
   * @returns true when it will be retried, false when the caller should drop the message.
   */
  private handleFailure(error: unknown, since: number, label: string): boolean {
    const kind = classifySlackError(error);
    if (kind === 'permanent') return false;
    if (Date.now() - since > this.giveUpAfter) {
      this.options.logger?.warn({ err: slackErrorCode(error), item: label }, 'Slack kept failing; message dropped');
      return false;
    }
    this.failures += 1;
    const delay = retryDelayMs(error, this.failures, this.retryBase);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
    this.options.logger?.info(
      { err: slackErrorCode(error), item: label, retryInMs: delay },
      'Slack call failed; will retry',
    );
    this.retryLater(delay);
    return true;
  }
}
