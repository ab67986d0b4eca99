/**
 * Posts one thread reply (a value from the thread state) to Slack: merged details split to fit
 * Slack's limits, the smoke table, the broadcast outcome, the stored report as a file.
 * Slack's errors are thrown for the delivery queue to retry; fallbacks are returned, not thrown.
 */
import type { webApi } from '@slack/bolt';
import type { ChangeResult } from '../engine/model';
import type { ChannelPacer } from './channel-pacer';
import { classifySlackError, slackErrorCode } from './slack-client';
import type { DetailEntry, ThreadReply } from './thread-state';
import { asBlocks, type SlackMessage } from './views/blocks';
import { smokeResultsView } from './views/smoke-run';
import {
  conclusionView,
  logFindingsView,
  noteView,
  outcomeView,
  reportSnippetView,
  rollbackStartedView,
  serviceEventsView,
  targetsView,
} from './views/thread-details';
import { PHASE_TITLES } from './views/format';
import { pauseView } from './views/pause';

/** Where a message is: its channel and `ts`. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** The Web API calls thread replies make; a WebClient satisfies it. */
export type ReplyClient = Pick<webApi.WebClient, 'chat' | 'filesUploadV2'>;

/** A reply as delivery sends it: a thread reply, or the report as text once the upload gave up. */
export type OutgoingReply = ThreadReply | { kind: 'report_text'; markdown: string; why: string };

/** Reads the change's stored markdown report. */
export type ReportReader = (changeId: string) => Promise<string | undefined>;

export interface ReplyDeps {
  client: ReplyClient;
  /** Spaces messages per channel. */
  pacer: Pick<ChannelPacer, 'turn'>;
  getReport?: ReportReader;
}

const MAX_UPLOAD_ATTEMPTS = 3;
/** The fallback report when none is stored: a few lines, never the whole change. */
const FALLBACK_REPORT_CHARS = 2000;

/** Whether the reply waits for the channel's turn (`chat.postMessage`); uploads are paced by Slack's own tier. */
export function isPaced(reply: OutgoingReply): boolean {
  return reply.kind !== 'report';
}

/** A replacement to try once when Slack refuses `reply` for good (a table block it rejects). */
export function fallbackOf(reply: OutgoingReply): OutgoingReply | undefined {
  if (reply.kind === 'smoke' && reply.table) return { ...reply, table: false };
  return undefined;
}

/**
 * Posts `reply` in the thread of `parent`; the caller has already waited for a paced reply's turn.
 * @returns a reply to send instead (the report as text after the upload gave up), if any.
 * @throws Slack's error when the call failed (the delivery queue retries or drops it).
 */
export async function sendReply(
  reply: OutgoingReply,
  parent: MessageRef,
  attempt: number,
  deps: ReplyDeps,
): Promise<OutgoingReply | undefined> {
  if (reply.kind === 'report') return uploadReport(reply, parent, attempt, deps);
  await postReply(reply, parent, deps);
  return undefined;
}

/** Posts every reply but the report file, which may come back as text instead. */
async function postReply(
  reply: Exclude<OutgoingReply, { kind: 'report' }>,
  parent: MessageRef,
  deps: ReplyDeps,
): Promise<void> {
  switch (reply.kind) {
    case 'details': {
      const chunks = chunkMessages(reply.entries.map(detailView));
      for (let i = 0; i < chunks.length; i++) {
        if (i > 0) await deps.pacer.turn(parent.channel);
        await post(deps, parent, chunks[i]);
      }
      return;
    }
    case 'smoke':
      return post(deps, parent, smokeResultsView(reply.title, reply.results, reply.table));
    case 'outcome':
      return post(deps, parent, outcomeView(reply.result), true);
    case 'conclusion':
      return post(deps, parent, conclusionView(reply.ok, reply.summary, reply.requester, reply.approvedBy), true);
    case 'report_text':
      return post(deps, parent, reportSnippetView(reply.markdown, reply.why));
    case 'pause':
      return post(deps, parent, pauseView(reply.service, reply.changeId, reply.pause));
  }
}

async function uploadReport(
  reply: Extract<ThreadReply, { kind: 'report' }>,
  parent: MessageRef,
  attempt: number,
  deps: ReplyDeps,
): Promise<OutgoingReply | undefined> {
  const { result } = reply;
  const markdown = (await storedReport(reply.changeId, deps.getReport)) ?? fallbackReport(result);
  try {
    await deps.client.filesUploadV2({
      channel_id: parent.channel,
      thread_ts: parent.ts,
      filename: `${result.service}-${result.kind}-${result.deployId ?? 'report'}.md`,
      title: `Report: ${result.summary.slice(0, 200)}`,
      content: markdown,
    });
  } catch (e) {
    // After a refusal or a few failed tries, the report goes as text instead.
    if (classifySlackError(e) === 'permanent' || attempt >= MAX_UPLOAD_ATTEMPTS)
      return { kind: 'report_text', markdown, why: slackErrorCode(e) };
    throw e;
  }
  return undefined;
}

async function storedReport(changeId: string, getReport: ReportReader | undefined): Promise<string | undefined> {
  try {
    return (await getReport?.(changeId)) || undefined;
  } catch {
    // The store's trouble must not cost the thread its report: the short one goes instead.
    return undefined;
  }
}

/** A short report from the result alone, for a change whose report was not stored. */
function fallbackReport(result: ChangeResult): string {
  const lines = [
    `# ${result.kind} ${result.service}${result.sha ? ` ${result.sha}` : ''}`,
    '',
    `Outcome: ${result.outcome}. ${result.summary}`,
    '',
    ...result.phases.map((p) => `- ${PHASE_TITLES[p.name] ?? p.name}: ${p.status}${p.detail ? ` (${p.detail})` : ''}`),
    '',
    '(The full report was not stored.)',
  ];
  const text = lines.join('\n');
  return text.length > FALLBACK_REPORT_CHARS ? `${text.slice(0, FALLBACK_REPORT_CHARS - 1)}…` : text;
}

async function post(deps: ReplyDeps, parent: MessageRef, msg: SlackMessage, broadcast = false): Promise<void> {
  await deps.client.chat.postMessage({
    channel: parent.channel,
    thread_ts: parent.ts,
    text: msg.text,
    blocks: asBlocks(msg.blocks),
    unfurl_links: false,
    reply_broadcast: broadcast,
  });
}

function detailView(entry: DetailEntry): SlackMessage {
  switch (entry.kind) {
    case 'events':
      return serviceEventsView(entry.events);
    case 'targets':
      return targetsView(entry.targets ?? []);
    case 'logs':
      return logFindingsView(entry.findings);
    case 'rollback':
      return rollbackStartedView(entry.reason, entry.toTaskDefinition);
    case 'note':
      return noteView(entry.text);
  }
}

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
