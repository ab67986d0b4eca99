/** `/logs <service> follow`: the thread's parent (with Stop), its batches of lines, and its one closing message. */
import type { LogEvent } from '../../engine/types';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  logLine,
  message,
  preformatted,
  sanitise,
  section,
  type SlackMessage,
} from './blocks';

/** The Stop button's action_id (stable: Slack sends it back on a click). */
export const STOP_TAIL_ACTION = 'stop_tail';
/** One line of a batch at most this long. */
const LINE_CHARS = 240;
/** A batch's code block at most this long (a section's text is at most 3000). */
const BATCH_CHARS = 2800;

export interface TailHead {
  service: string;
  pattern: string;
  /** How long the tail runs, in ms. */
  forMs: number;
  /** Display name of who started it. */
  startedBy: string;
  /** Tail id: the Stop button's value. */
  id: string;
  /** Set once it polls instead of tailing live. */
  polling?: string;
}

export type TailEnd = 'button' | 'time' | 'shutdown' | 'error';

function minutes(ms: number): string {
  return ms >= 60_000 ? `${String(Math.round(ms / 60_000))}m` : `${String(Math.round(ms / 1000))}s`;
}

function headText(h: TailHead): string {
  return `:eyes: Following *${h.service}* logs matching \`${sanitise(h.pattern, 100)}\` for ${minutes(h.forMs)} (started by ${sanitise(h.startedBy, 80)}); new lines arrive in the thread.`;
}

/** The parent message while the tail runs: what it follows, for how long, and Stop. */
export function tailRunningView(h: TailHead): SlackMessage {
  const blocks = [
    section(headText(h)),
    actions('log_tail', [button({ text: 'Stop', actionId: STOP_TAIL_ACTION, value: h.id, style: 'danger' })]),
  ];
  if (h.polling) blocks.push(context([`live tail unavailable (${sanitise(h.polling, 200)}); polling every 2 s`]));
  return message(`Following ${h.service} logs for ${minutes(h.forMs)}`, blocks);
}

/** The parent once the tail ended: no button any more. */
export function tailEndedView(h: TailHead, lines: number): SlackMessage {
  return message(`${h.service} log tail ended`, [
    section(headText(h).replace(':eyes: Following', ':white_check_mark: Followed')),
    context([`${String(lines)} line(s) posted`]),
  ]);
}

/** One batch of lines, escaped and cut; the newest kept when they do not all fit. */
export function tailBatchView(service: string, events: LogEvent[]): SlackMessage {
  const lines = events.map((e) => `${e.timestamp.toISOString().slice(11, 19)} ${logLine(e.message, LINE_CHARS)}`);
  let kept = lines;
  while (kept.length > 1 && escapeMrkdwn(kept.join('\n')).length > BATCH_CHARS) kept = kept.slice(1);
  const blocks = [preformatted(kept.join('\n'), BATCH_CHARS)];
  if (kept.length < lines.length)
    blocks.push(context([`${String(lines.length - kept.length)} earlier line(s) left out`]));
  return message(`${service}: ${String(events.length)} new log line(s)`, blocks);
}

const END_WORDS: Record<TailEnd, string> = {
  button: 'pressed Stop',
  time: 'time is up',
  shutdown: 'the bot is shutting down',
  error: 'the tail failed',
};

/** The one closing message in the thread. */
export function tailClosedView(service: string, end: TailEnd, lines: number, detail?: string): SlackMessage {
  const why = end === 'button' ? `${sanitise(detail ?? 'someone', 80)} ${END_WORDS.button}` : END_WORDS[end];
  const extra = end === 'error' && detail ? `: ${sanitise(detail, 200)}` : '';
  return message(`${service} log tail stopped: ${why}`, [
    section(`:stop_sign: Log tail of *${service}* stopped: ${why}${extra}. ${String(lines)} line(s) in all.`),
  ]);
}
