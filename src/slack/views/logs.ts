/** `/logs`: recent matching lines, bounded and sanitised. */
import type { LogsReport } from '../../engine/api';
import { context, logLine, message, preformatted, sanitise, section, type SlackMessage } from './blocks';

const MAX_LINES = 20;

export function logsView(report: LogsReport): SlackMessage {
  const head = `*${report.service}* logs matching \`${sanitise(report.pattern, 100)}\` since ${report.since.slice(0, 19).replace('T', ' ')}Z: ${report.events.length}${report.truncated ? '+' : ''} line(s)`;
  if (!report.events.length) return message(`${report.service}: no matching log lines`, [section(head)]);
  const lines = report.events
    .slice(-MAX_LINES)
    .map((e) => `${e.timestamp.toISOString().slice(11, 19)} ${logLine(e.message, 240)}`);
  const blocks = [section(head), preformatted(lines.join('\n'), 2800)];
  if (report.events.length > MAX_LINES) blocks.push(context([`showing the newest ${MAX_LINES}`]));
  return message(`${report.service}: ${report.events.length} matching log line(s)`, blocks);
}
