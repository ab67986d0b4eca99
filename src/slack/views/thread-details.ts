/** Thread replies of a change: service events, target health, log findings, rollback, outcome, report. */
import { approverOfResult, type ChangeResult, type LogFindings } from '../../engine/model';
import { PHASE_TITLES } from '../../engine/release-ref';
import { ErrorCodes } from '../../errors';
import type { Actor, ServiceEvent, TargetHealth } from '../../engine/types';
import {
  context,
  logLine,
  message,
  preformatted,
  sanitise,
  section,
  type SlackBlock,
  type SlackMessage,
} from './blocks';
import { outcomeText, peopleText, revisionOf, slackDate } from './format';

const MAX_EVENTS_SHOWN = 15;

/** A batch of new ECS service events, oldest first, each cut to a readable length. */
export function serviceEventsView(events: ServiceEvent[]): SlackMessage {
  const sorted = [...events].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const shown = sorted.slice(-MAX_EVENTS_SHOWN);
  const lines = shown.map(
    (e) => `• ${slackDate(e.createdAt, '{time_secs}')} ${sanitise(e.message.replace(/\s+/g, ' '), 300)}`,
  );
  const blocks: SlackBlock[] = [section(`*Service events*\n${lines.join('\n')}`)];
  if (sorted.length > shown.length) blocks.push(context([`${sorted.length - shown.length} earlier events not shown`]));
  return message(`${events.length} new service event(s)`, blocks);
}

/** Counts by state, and the first few targets that are not healthy with their reasons. */
export function targetsView(targets: TargetHealth[]): SlackMessage {
  const counts = countTargets(targets);
  const summary = Object.entries(counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
  const unhealthy = targets.filter((t) => t.state !== 'healthy');
  const lines = unhealthy
    .slice(0, 10)
    .map(
      (t) =>
        `• \`${sanitise(t.id, 80)}${t.port ? `:${t.port}` : ''}\` ${t.state}${t.reason ? ` (${sanitise(t.reason, 100)})` : ''}`,
    );
  const blocks: SlackBlock[] = [
    section(
      `*Target health* — ${targets.length} target(s): ${summary || 'none'}${lines.length ? `\n${lines.join('\n')}` : ''}`,
    ),
  ];
  if (unhealthy.length > lines.length)
    blocks.push(context([`${unhealthy.length - lines.length} more unhealthy targets not shown`]));
  return message(`Target health: ${summary || 'no targets'}`, blocks);
}

export function countTargets(targets: TargetHealth[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of targets) counts[t.state] = (counts[t.state] ?? 0) + 1;
  return counts;
}

/** Matching log lines: count, pattern, and a short sanitised sample. */
export function logFindingsView(findings: LogFindings): SlackMessage {
  const head = `*Logs* — ${findings.count}${findings.truncated ? '+' : ''} line(s) matching \`${sanitise(findings.pattern, 100)}\``;
  const blocks: SlackBlock[] = [section(head)];
  if (findings.sample.length) {
    const sample = findings.sample
      .slice(0, 5)
      .map((l) => `${l.timestamp.slice(11, 19)} ${logLine(l.message, 300)}`)
      .join('\n');
    blocks.push(preformatted(sample, 2000));
  }
  return message(`Logs: ${findings.count} matching line(s)`, blocks);
}

export function rollbackStartedView(reason: string, toTaskDefinition: string): SlackMessage {
  const text = `:leftwards_arrow_with_hook: Rolling back to \`${revisionOf(toTaskDefinition)}\`: ${sanitise(reason, 500)}`;
  return message(text, [section(text)]);
}

export function planView(digest: string, image: string, from: string, to: string | null): SlackMessage {
  const text = `*Plan* — image \`${sanitise(image, 300)}\`\n\`${revisionOf(from)}\` → \`${to ? revisionOf(to) : 'new revision'}\``;
  return message(`Plan: ${digest.slice(0, 19)}`, [section(text)]);
}

/**
 * The summary as Slack says it. A freeze refusal's own text is the terminal's (`--force`, user
 * names, dates as text): Slack shows the freeze with Slack dates beside it and words its own advice.
 */
export function slackSummary(result: ChangeResult): string {
  if (result.error?.code !== ErrorCodes.frozen) return result.summary;
  return `${result.service}: ${result.kind} refused while the service is frozen; nothing was changed. To override, ask again with force at the end: a second person must approve.`;
}

/** The final outcome, broadcast to the channel as well. */
export function outcomeView(result: ChangeResult): SlackMessage {
  const summary = slackSummary(result);
  const lines = [`*${result.service}*: ${outcomeText(result.outcome)}`, sanitise(summary, 1000)];
  // The summary usually quotes the failure already; say it again only when it does not (a freeze's is above).
  if (result.failure && !summary.includes(result.failure.reason) && summary === result.summary)
    lines.push(`Failed at *${PHASE_TITLES[result.failure.phase].short}*: ${sanitise(result.failure.reason, 500)}`);
  // After a stop nothing runs: the summary gives the counts instead.
  if (result.finalTaskDefinition && result.kind !== 'stop')
    lines.push(`Now running \`${revisionOf(result.finalTaskDefinition)}\``);
  if (result.actor) lines.push(peopleText(result.actor, approverOfResult(result)));
  const text =
    summary.startsWith(`${result.service} `) || summary.startsWith(`${result.service}:`)
      ? summary
      : `${result.service}: ${summary}`;
  return message(text, [section(lines.join('\n'))]);
}

/** The end of a change that finished without a result (see ThreadReporter.conclude), broadcast too. */
export function conclusionView(
  ok: boolean,
  summary: string,
  requester: Actor | null,
  approvedBy: Actor | null,
): SlackMessage {
  const text = `${ok ? ':white_check_mark:' : ':x:'} ${sanitise(summary, 1000)}`;
  return message(text, [section(text), context([peopleText(requester, approvedBy)])]);
}

/** The report as text when uploading a file is not permitted. */
export function reportSnippetView(markdown: string, why: string): SlackMessage {
  return message('Deploy report', [
    context([`Report (the file upload failed: ${sanitise(why, 100)})`]),
    preformatted(markdown, 2800),
  ]);
}

/** A short line in the thread (e.g. "Cancel requested by …"). */
export function noteView(text: string): SlackMessage {
  return message(text, [section(text)]);
}
