/**
 * Coalesced updates of a thread's parent message: at most one `chat.update` per interval, the
 * state rendered when the update is sent (latest wins, the final one always lands), paced across
 * the workspace, and retried after rate limits and outages within the give-up time.
 */
import type { Logger } from '../logger';
import { ChannelPacer } from './channel-pacer';
import { asBlocks, type SlackMessage } from './views/blocks';
import { classifySlackError, retryDelayMs, slackErrorCode } from './slack-client';
import type { MessageRef, ReplyDeps } from './thread-replies';

/** Tier 3 allows 50+ chat.update calls a minute per workspace: about one a second, with bursts. */
const workspaceUpdatePacer = new ChannelPacer(1, 10);

/** What the updater shares with the thread's delivery queue. */
export interface ParentUpdaterHost {
  client: ReplyDeps['client'];
  /** The parent message, once posted. */
  parent(): MessageRef | null;
  renderParent(): SlackMessage;
  /** Slack asked to wait until then (a 429 or an outage seen by either side). */
  pausedUntil(): number;
  pauseUntil(at: number): void;
  /** Called after each update, so the host can tell waiters it is idle. */
  settled(): void;
  /** False once the change belongs to another process: the update is dropped (the host silences the thread). */
  stillCurrent(): Promise<boolean>;
  logger?: Logger;
}

export interface ParentUpdaterOptions {
  /** Least time between two updates (ms). */
  minIntervalMs: number;
  /** First retry delay after an outage (doubles). */
  retryBaseMs: number;
  /** Give up on an update after this long (ms). */
  giveUpAfterMs: number;
  /** Paces chat.update across all threads (default: the process-wide one). */
  pacer?: Pick<ChannelPacer, 'turn'>;
}

export class ParentUpdater {
  private dirty = false;
  private inFlight = false;
  private lastUpdateAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private dirtySince = 0;
  private disposed = false;

  constructor(
    private readonly host: ParentUpdaterHost,
    private readonly options: ParentUpdaterOptions,
  ) {}

  /** True while an update is wanted or being sent. */
  busy(): boolean {
    return this.dirty || this.inFlight;
  }

  /** The state behind the parent changed: update it soon, at most once per interval. */
  markDirty(): void {
    if (this.disposed) return;
    if (!this.dirty) this.dirtySince = Date.now();
    this.dirty = true;
    this.schedule();
  }

  /** Sends a wanted update once the parent exists and the interval allows. */
  schedule(): void {
    const parent = this.host.parent();
    if (!parent || this.inFlight || !this.dirty || this.disposed) return;
    const earliest = Math.max(this.lastUpdateAt + this.options.minIntervalMs, this.host.pausedUntil());
    const wait = earliest - Date.now();
    if (wait <= 0) {
      void this.send(parent);
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.schedule();
    }, wait);
  }

  /** Stops the timer; a wanted update is dropped. */
  dispose(): void {
    this.disposed = true;
    this.dirty = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async send(parent: MessageRef): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = true;
    // chat.update is rate-limited per workspace (Tier 3): all threads share one pace. The state
    // is rendered after the wait, so the update carries whatever happened meanwhile.
    await (this.options.pacer ?? workspaceUpdatePacer).turn('chat.update');
    this.dirty = false;
    const since = this.dirtySince;
    try {
      if (!(await this.host.stillCurrent())) return;
      const msg = this.host.renderParent();
      await this.host.client.chat.update({
        channel: parent.channel,
        ts: parent.ts,
        text: msg.text,
        blocks: asBlocks(msg.blocks),
      });
      this.failures = 0;
    } catch (e) {
      this.onFailure(e, since);
    } finally {
      // Measured from the end of the call, so two updates never reach Slack closer than the interval.
      this.lastUpdateAt = Date.now();
      this.inFlight = false;
      this.schedule();
      this.host.settled();
    }
  }

  private onFailure(error: unknown, since: number): void {
    const kind = classifySlackError(error);
    if (kind === 'permanent' || Date.now() - since > this.options.giveUpAfterMs) {
      this.host.logger?.warn({ err: slackErrorCode(error) }, 'cannot update the deploy message');
      return;
    }
    this.failures += 1;
    const delay = retryDelayMs(error, this.failures, this.options.retryBaseMs);
    this.host.pauseUntil(Date.now() + delay);
    if (!this.dirty) this.dirtySince = since;
    this.dirty = true;
  }
}
