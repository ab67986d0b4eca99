/**
 * Turns a change's engine events into Slack: one parent message updated in place, details as
 * thread replies, the outcome broadcast to the channel, the report as a file (or text).
 * `onEvent` only records state and queues work, so the engine never waits on Slack.
 */
import type { webApi } from '@slack/bolt';
import type { Config } from '../config/schema';
import type { EngineApi } from '../engine/api';
import type { ChangeResult, EngineEvent, EventListener, PhaseName } from '../engine/model';
import type { ServiceEvent, SmokeResult, TargetHealth } from '../engine/types';
import type { Logger } from '../logger';
import { renderReport } from '../report';
import { classifySlackError, slackErrorCode } from './slack-client';

const MAX_UPLOAD_ATTEMPTS = 3;
import { MessageOutbox, type MessageRef, type ReplyItem } from './slack-outbox';
import { asBlocks, sanitise, type SlackMessage } from './views/blocks';
import { deployMessageView, type DeployViewState } from './views/deploy-message';
import { smokeResultsView } from './views/smoke-run';
import { ChannelPacer, channelPacer } from './channel-pacer';
import { countTargets, logFindingsView, noteView, outcomeView, reportSnippetView, rollbackStartedView, serviceEventsView, targetsView } from './views/thread-details';

/** The Web API calls the reporter makes; a WebClient satisfies it. */
export type ReporterClient = webApi.WebClient;

export interface ThreadReporterOptions {
  client: ReporterClient;
  channel: string;
  engine: Pick<EngineApi, 'getChange' | 'report' | 'setChangeSlack'>;
  config: Config;
  logger?: Logger;
  /** What is known before the first event (service, kind, who). */
  initial?: Partial<DeployViewState>;
  minUpdateIntervalMs?: number;
  retryBaseMs?: number;
  giveUpAfterMs?: number;
  /** Told when Slack refuses the parent message for good (the change itself goes on). */
  onParentRefused?(error: unknown): void;
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

class SlackThreadReporter implements ThreadReporter {
  private readonly state: DeployViewState;
  private readonly outbox: MessageOutbox;
  /** Detail replies waiting for the channel's turn, posted together as one message. */
  private openBatch: DetailEntry[] | null = null;
  private latestTargets: TargetHealth[] | null = null;
  private lastTargetsKey = '';
  private done = false;

  constructor(private readonly options: ThreadReporterOptions) {
    this.state = {
      changeId: null,
      kind: 'deploy',
      service: '',
      sha: null,
      digest: null,
      fromTaskDefinition: null,
      toTaskDefinition: null,
      actor: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      phases: [],
      progress: null,
      outcome: 'running',
      summary: null,
      notes: [],
      ...options.initial,
    };
    if (!this.state.repositoryUrl && this.state.service) this.state.repositoryUrl = options.config.services[this.state.service]?.repositoryUrl;
    this.outbox = new MessageOutbox({
      client: options.client,
      channel: options.channel,
      logger: options.logger,
      renderParent: () => deployMessageView(this.state, Date.now()),
      onParentPosted: (ref) => this.recordThread(ref),
      onParentRefused: options.onParentRefused,
      minUpdateIntervalMs: options.minUpdateIntervalMs,
      updatePacer: options.pacer,
      retryBaseMs: options.retryBaseMs,
      giveUpAfterMs: options.giveUpAfterMs,
    });
  }

  get parent(): MessageRef | null {
    return this.outbox.parentRef;
  }

  get changeId(): string | null {
    return this.state.changeId;
  }

  get finished(): boolean {
    return this.done;
  }

  /** Continues the thread of a change resumed after a restart, with a note saying so. */
  resume(changeId: string, parent: MessageRef, note: string): void {
    this.state.changeId = changeId;
    this.state.notes.push(note);
    this.outbox.adoptParent(parent);
    this.detail({ kind: 'message', render: () => noteView(note) });
  }

  onStart = async (changeId: string): Promise<void> => {
    this.state.changeId ??= changeId;
    this.outbox.startParent();
  };

  onEvent: EventListener = (event) => {
    try {
      if (this.state.changeId && event.changeId !== this.state.changeId) return;
      this.apply(event);
    } catch (e) {
      // A reporter bug must never reach the engine.
      this.options.logger?.warn({ err: e }, 'thread reporter failed on an event');
    }
  };

  flush(timeoutMs?: number): Promise<void> {
    return this.outbox.flush(timeoutMs);
  }

  note(text: string): void {
    this.state.notes.push(text);
    this.outbox.markDirty();
    this.detail({ kind: 'message', render: () => noteView(text) });
  }

  conclude(ok: boolean, summary: string): void {
    if (this.done) return;
    this.done = true;
    this.state.outcome = ok ? 'succeeded' : 'interrupted';
    if (!ok) this.state.statusText = ':x: failed';
    this.state.summary = summary;
    this.state.finishedAt = new Date().toISOString();
    this.outbox.markDirty();
    this.reply('outcome', noteView(`${ok ? ':white_check_mark:' : ':x:'} ${sanitise(summary, 1000)}`), true);
  }

  dispose(): void {
    this.outbox.dispose();
  }

  private apply(event: EngineEvent): void {
    const s = this.state;
    switch (event.type) {
      case 'change_started':
        Object.assign(s, { changeId: event.changeId, kind: event.kind, service: event.service, actor: event.actor, startedAt: event.at });
        s.sha = event.sha ?? s.sha;
        s.fromTaskDefinition = event.fromTaskDefinition ?? s.fromTaskDefinition;
        s.repositoryUrl ??= this.options.config.services[event.service]?.repositoryUrl;
        this.outbox.startParent();
        break;
      case 'phase_started':
        this.setPhase(event.phase, 'running');
        break;
      case 'phase_finished':
        this.setPhase(event.phase, event.result.status, event.result.status === 'ok' ? undefined : event.result.detail);
        break;
      case 'progress':
        s.progress = { running: event.running, desired: event.desired, pending: event.pending, rolloutState: event.rolloutState };
        break;
      case 'plan':
        s.digest = event.digest || s.digest;
        s.fromTaskDefinition = event.fromTaskDefinition;
        s.toTaskDefinition = event.toTaskDefinition ?? s.toTaskDefinition;
        break;
      case 'service_event':
        this.queueServiceEvent(event.event);
        return;
      case 'targets':
        this.queueTargets(event.targets);
        return;
      case 'smoke':
        this.queueSmoke(event.results);
        return;
      case 'logs': {
        const findings = event.findings;
        this.detail({ kind: 'message', render: () => logFindingsView(findings) });
        return;
      }
      case 'rollback_started':
        s.notes.push(`Rolling back: ${sanitise(event.reason, 200)}`);
        this.detail({ kind: 'message', render: () => rollbackStartedView(event.reason, event.toTaskDefinition) });
        break;
      case 'change_finished':
        this.finish(event.result);
        break;
    }
    this.outbox.markDirty();
  }

  private setPhase(name: PhaseName, mark: DeployViewState['phases'][number]['mark'], detail?: string): void {
    const existing = this.state.phases.find((p) => p.name === name);
    if (existing) Object.assign(existing, { mark, detail });
    else this.state.phases.push({ name, mark, detail });
  }

  private finish(result: ChangeResult): void {
    const s = this.state;
    this.done = true;
    Object.assign(s, {
      outcome: result.outcome,
      summary: result.summary,
      finishedAt: result.finishedAt ?? new Date().toISOString(),
      sha: result.sha ?? s.sha,
      digest: result.digest ?? s.digest,
      fromTaskDefinition: result.fromTaskDefinition ?? s.fromTaskDefinition,
      toTaskDefinition: result.toTaskDefinition ?? s.toTaskDefinition,
    });
    for (const p of result.phases) this.setPhase(p.name, p.status, p.status === 'ok' ? undefined : p.detail);
    // Nothing to say in a thread nobody started (refused before it began).
    if (!this.outbox.started) return;
    this.reply('outcome', outcomeView(result), true);
    this.queueReport(result);
  }

  private reply(label: string, msg: SlackMessage, broadcast = false): void {
    this.enqueueOwn(this.replyItem(label, () => msg, broadcast));
  }

  /** A reply of its own (outcome, smoke table, report): later details start a new batch after it. */
  private enqueueOwn(item: ReplyItem): void {
    this.openBatch = null;
    this.outbox.enqueue(item);
  }

  /**
   * Adds a detail (service events, target health, log findings, notes) to the open batch. A batch
   * is one queued reply rendered when the channel's turn comes, so however far Slack lags, a
   * thread catches up in one message instead of many.
   */
  private detail(entry: DetailEntry): void {
    if (!this.openBatch) {
      const batch: DetailEntry[] = [];
      this.openBatch = batch;
      this.outbox.enqueue(this.batchItem(batch));
    }
    const last = this.openBatch[this.openBatch.length - 1];
    if (entry.kind === 'events' && last?.kind === 'events') last.events.push(...entry.events);
    else if (entry.kind === 'targets' && this.openBatch.some((e) => e.kind === 'targets')) return; // rendered from the latest
    else this.openBatch.push(entry);
  }

  private batchItem(batch: DetailEntry[]): ReplyItem {
    const client = this.options.client;
    return {
      label: 'details',
      send: async (parent) => {
        const pacer = this.options.pacer ?? channelPacer;
        await pacer.turn(parent.channel);
        if (this.openBatch === batch) this.openBatch = null;
        const rendered = batch.map((entry) => this.renderDetail(entry));
        const chunks = chunkMessages(rendered.map((r) => r.message).filter((m): m is SlackMessage => m !== null));
        for (let i = 0; i < chunks.length; i++) {
          if (i > 0) await pacer.turn(parent.channel);
          const msg = chunks[i];
          await client.chat.postMessage({ channel: parent.channel, thread_ts: parent.ts, text: msg.text, blocks: asBlocks(msg.blocks), unfurl_links: false });
        }
        // Only once delivered: a retry after a 429 renders the same details again.
        for (const r of rendered) r.delivered?.();
        batch.length = 0;
      },
    };
  }

  private renderDetail(entry: DetailEntry): { message: SlackMessage | null; delivered?: () => void } {
    if (entry.kind === 'events') return { message: serviceEventsView(entry.events) };
    if (entry.kind === 'message') return { message: entry.render() };
    const latest = this.latestTargets ?? [];
    const key = JSON.stringify(countTargets(latest));
    if (key === this.lastTargetsKey) return { message: null };
    return { message: targetsView(latest), delivered: () => (this.lastTargetsKey = key) };
  }

  private replyItem(label: string, render: () => SlackMessage, broadcast = false): ReplyItem {
    const client = this.options.client;
    return {
      label,
      send: async (parent) => {
        // Wait for the channel's turn first: what arrives meanwhile is rendered into this reply.
        await (this.options.pacer ?? channelPacer).turn(parent.channel);
        const msg = render();
        await client.chat.postMessage({
          channel: parent.channel,
          thread_ts: parent.ts,
          text: msg.text,
          blocks: asBlocks(msg.blocks),
          unfurl_links: false,
          reply_broadcast: broadcast,
        });
      },
    };
  }

  private queueServiceEvent(event: ServiceEvent): void {
    this.detail({ kind: 'events', events: [event] });
  }

  private queueTargets(targets: TargetHealth[]): void {
    this.latestTargets = targets;
    if (JSON.stringify(countTargets(targets)) === this.lastTargetsKey) return;
    this.detail({ kind: 'targets' });
  }

  private queueSmoke(results: SmokeResult[]): void {
    const title = `Smoke tests: ${this.state.service}`;
    const useTable = this.options.config.slack.tableBlocks;
    const item = this.replyItem('smoke', () => smokeResultsView(title, results, useTable));
    // Should Slack refuse the native table block, the text table goes instead.
    if (useTable) item.onRefused = () => this.replyItem('smoke (text)', () => smokeResultsView(title, results, false));
    this.enqueueOwn(item);
  }

  private queueReport(result: ChangeResult): void {
    const client = this.options.client;
    let markdown = '';
    let uploadError = '';
    let uploadRefused = false;
    let attempts = 0;
    const snippet = this.replyItem('report (text)', () => reportSnippetView(markdown, uploadError));
    this.enqueueOwn({
      label: 'report',
      send: async (parent) => {
        if (!markdown) markdown = await this.reportText(result);
        if (!markdown) return;
        // After a refusal or a few failed tries, the report goes as text instead.
        if (uploadError && (attempts >= MAX_UPLOAD_ATTEMPTS || uploadRefused)) return snippet.send(parent);
        attempts += 1;
        try {
          await client.filesUploadV2({
            channel_id: parent.channel,
            thread_ts: parent.ts,
            filename: `${result.service}-${result.kind}-${result.deployId ?? 'report'}.md`,
            title: `Report: ${result.summary.slice(0, 200)}`,
            content: markdown,
          });
        } catch (e) {
          uploadError = slackErrorCode(e);
          uploadRefused = classifySlackError(e) === 'permanent';
          if (uploadRefused || attempts >= MAX_UPLOAD_ATTEMPTS) return snippet.send(parent);
          throw e;
        }
      },
    });
  }

  /** The stored report of the change, else rendered here; empty when neither works. */
  private async reportText(result: ChangeResult): Promise<string> {
    try {
      const stored = result.deployId ? await this.options.engine.report(result.deployId) : undefined;
      return stored ?? renderReport(result, result.deployId ? await this.options.engine.getChange(result.deployId) : undefined);
    } catch (e) {
      this.options.logger?.warn({ err: e }, 'cannot render the report');
      return '';
    }
  }

  private recordThread(ref: MessageRef): void {
    if (!this.state.changeId) return;
    this.options.engine.setChangeSlack(this.state.changeId, ref).catch((e: unknown) => {
      this.options.logger?.warn({ err: e }, 'cannot record the Slack thread of the change');
    });
  }
}

type DetailEntry = { kind: 'events'; events: ServiceEvent[] } | { kind: 'targets' } | { kind: 'message'; render: () => SlackMessage };

/** Keeps a merged reply well inside Slack's limits (50 blocks; about 13k characters in all). */
const CHUNK_BLOCKS = 40;
const CHUNK_CHARS = 9000;

/** Joins detail messages into as few messages as the limits allow, in order. */
export function chunkMessages(parts: SlackMessage[]): SlackMessage[] {
  const chunks: SlackMessage[] = [];
  let blocks: SlackMessage['blocks'] = [];
  let texts: string[] = [];
  let size = 0;
  const flush = () => {
    if (!blocks.length) return;
    chunks.push({ text: texts.join('\n').slice(0, 3000), blocks });
    blocks = [];
    texts = [];
    size = 0;
  };
  for (const part of parts) {
    const partSize = JSON.stringify(part.blocks).length;
    if (blocks.length && (blocks.length + part.blocks.length > CHUNK_BLOCKS || size + partSize > CHUNK_CHARS)) flush();
    blocks.push(...part.blocks);
    texts.push(part.text);
    size += partSize;
  }
  flush();
  return chunks;
}
