/**
 * Turns a change's engine events into Slack: one parent message updated in place, details as
 * thread replies, the outcome broadcast to the channel, the stored report as a file (or text).
 * It only glues the thread's state (thread-state.ts, pure) to its delivery queue
 * (slack-outbox.ts): `onEvent` folds the event into the state and wakes the queue, so the
 * engine never waits on Slack.
 */
import type { webApi } from '@slack/bolt';
import type { Config } from '../config/schema';
import type { Changes } from '../engine/api';
import type { EventListener } from '../engine/model';
import type { Logger } from '../logger';
import type { ChannelPacer } from './channel-pacer';
import { MessageOutbox, type MessageRef } from './slack-outbox';
import type { ReportReader } from './thread-replies';
import {
  initialThreadState,
  reduceThread,
  takeReply,
  type ThreadAction,
  type ThreadSettings,
  type ThreadState,
} from './thread-state';
import { deployMessageView, type DeployViewState } from './views/deploy-message';

export { chunkMessages } from './thread-replies';

/** The Web API calls the reporter makes; a WebClient satisfies it. */
export type ReporterClient = webApi.WebClient;

export interface ThreadReporterOptions {
  client: ReporterClient;
  channel: string;
  /** Where the thread of the change is recorded, and whether this process still holds the change (fencing). */
  engine: Pick<Changes, 'setChangeSlack'> & Partial<Pick<Changes, 'holdsChange'>>;
  config: Config;
  /** Reads the change's stored report for the thread; without it (or a stored report) a short one goes. */
  getReport?: ReportReader;
  logger?: Logger;
  /** What is known before the first event (service, kind, who). */
  initial?: Partial<DeployViewState>;
  minUpdateIntervalMs?: number;
  retryBaseMs?: number;
  giveUpAfterMs?: number;
  /** Told when Slack refuses the parent message for good (the change itself goes on). */
  onParentRefused?: (error: unknown) => void;
  /** Spaces thread replies per channel (default: the process-wide one, 1/s with bursts of 4). */
  pacer?: Pick<ChannelPacer, 'turn'>;
}

export interface ThreadReporter {
  onEvent: EventListener;
  /** Posts the parent message (in the background); never throws, returns at once. */
  onStart(changeId: string): Promise<void>;
  /** Resolves once every queued message is delivered or given up (or after `timeoutMs`). */
  flush(timeoutMs?: number): Promise<void>;
  /** Adds a line to the parent and to the thread ("Cancel requested by …"). */
  note(text: string): void;
  /** Continues the thread of a change resumed after a restart (see ChangeRunner.recover). */
  resume(changeId: string, parent: MessageRef, note: string): void;
  /** Ends a change that finished without a `change_finished` event. */
  conclude(ok: boolean, summary: string): void;
  readonly parent: MessageRef | null;
  readonly changeId: string | null;
  readonly finished: boolean;
  dispose(): void;
}

/** Builds a reporter for one change. Never throws. */
export function createThreadReporter(options: ThreadReporterOptions): ThreadReporter {
  return new SlackThreadReporter(options);
}

/** The config the thread's state needs. */
function threadSettings(config: Config): ThreadSettings {
  const repositoryUrls: Record<string, string | undefined> = {};
  for (const [name, service] of Object.entries(config.services)) repositoryUrls[name] = service.repositoryUrl;
  return { repositoryUrls, tableBlocks: config.slack.tableBlocks };
}

class SlackThreadReporter implements ThreadReporter {
  private state: ThreadState;
  private readonly settings: ThreadSettings;
  private readonly outbox: MessageOutbox;

  constructor(private readonly options: ThreadReporterOptions) {
    this.settings = threadSettings(options.config);
    this.state = initialThreadState(options.initial ?? {}, this.settings, new Date().toISOString());
    this.outbox = new MessageOutbox({
      client: options.client,
      channel: options.channel,
      logger: options.logger,
      getReport: options.getReport,
      source: {
        renderParent: () => deployMessageView(this.state.view, Date.now()),
        pending: () => this.state.replies.length > 0,
        peek: () => this.state.replies[0],
        take: () => {
          const [next, reply] = takeReply(this.state);
          this.state = next;
          return reply;
        },
      },
      onParentPosted: (ref) => this.recordThread(ref),
      stillCurrent: () => this.stillCurrent(),
      onParentRefused: options.onParentRefused,
      minUpdateIntervalMs: options.minUpdateIntervalMs,
      updatePacer: options.pacer,
      replyPacer: options.pacer,
      retryBaseMs: options.retryBaseMs,
      giveUpAfterMs: options.giveUpAfterMs,
    });
  }

  get parent(): MessageRef | null {
    return this.outbox.parentRef;
  }

  get changeId(): string | null {
    return this.state.view.changeId;
  }

  get finished(): boolean {
    return this.state.finished;
  }

  resume(changeId: string, parent: MessageRef, note: string): void {
    this.outbox.adoptParent(parent);
    this.dispatch({ type: 'resume', changeId, note });
  }

  onStart = (changeId: string): Promise<void> => {
    this.dispatch({ type: 'start', changeId });
    return Promise.resolve();
  };

  onEvent: EventListener = (event) => {
    try {
      this.dispatch({ type: 'event', event });
    } catch (e) {
      // A reporter bug must never reach the engine.
      this.options.logger?.warn({ err: e }, 'thread reporter failed on an event');
    }
  };

  flush(timeoutMs?: number): Promise<void> {
    return this.outbox.flush(timeoutMs);
  }

  note(text: string): void {
    this.dispatch({ type: 'note', text });
  }

  conclude(ok: boolean, summary: string): void {
    this.dispatch({ type: 'conclude', ok, summary, at: new Date().toISOString() });
  }

  dispose(): void {
    this.outbox.dispose();
  }

  /** Folds the action into the state, then tells delivery what changed. */
  private dispatch(action: ThreadAction): void {
    const before = this.state;
    this.state = reduceThread(before, action, this.settings);
    if (this.state.started) this.outbox.startParent();
    if (this.state.view !== before.view) this.outbox.markDirty();
    if (this.state.replies !== before.replies) this.outbox.wake();
  }

  /** Fencing: a change taken over by another process gets nothing more from this one. */
  private async stillCurrent(): Promise<boolean> {
    const id = this.state.view.changeId;
    if (!id || !this.options.engine.holdsChange) return true;
    return this.options.engine.holdsChange(id);
  }

  private recordThread(ref: MessageRef): void {
    if (!this.state.view.changeId) return;
    this.options.engine.setChangeSlack(this.state.view.changeId, ref).catch((e: unknown) => {
      this.options.logger?.warn({ err: e }, 'cannot record the Slack thread of the change');
    });
  }
}
