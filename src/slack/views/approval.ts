/** The approval request message, and how it reads once decided, used or expired. */
import type { ApprovalRequest } from '../../engine/model';
import { actions, button, context, fieldsSection, header, message, sanitise, section, type SlackBlock, type SlackMessage } from './blocks';
import { actorText } from './format';

const ACTION_TITLE: Record<string, string> = {
  stop: 'Emergency stop',
  deploy: 'Deploy',
  rollback: 'Rollback',
  restart: 'Restart',
};

export interface ApprovalViewExtra {
  /** A line about what happened after approval ("Stopped: desired 2 → 0"). */
  outcome?: string;
  /** Extra blocks such as a Restart button after a stop. */
  trailing?: SlackBlock[];
}

export function approvalView(request: ApprovalRequest, extra: ApprovalViewExtra = {}): SlackMessage {
  const title = `${ACTION_TITLE[request.action] ?? request.action} ${request.service}: approval ${request.status === 'pending' ? 'needed' : request.status}`;
  const expires = Math.floor(Date.parse(request.expiresAt) / 1000);
  const blocks: SlackBlock[] = [
    header(title),
    fieldsSection([
      `*Requested by*\n${actorText(request.requester)}`,
      `*Service*\n${request.service}`,
      `*Reason*\n${sanitise(request.reason, 1000)}`,
      `*Impact*\n${sanitise(request.impact, 500)}`,
      `*Expires*\n<!date^${expires}^{date_short_pretty} {time}|${request.expiresAt}>`,
    ]),
  ];
  if (request.status === 'pending') {
    blocks.push(
      actions(`approval:${request.id}`, [
        button({
          text: 'Approve',
          actionId: 'approve',
          value: request.id,
          style: 'danger',
          confirm: {
            title: `Approve ${ACTION_TITLE[request.action] ?? request.action}?`,
            text: `${request.service}: ${sanitise(request.impact, 200)}`,
            confirm: 'Approve',
          },
        }),
        button({ text: 'Deny', actionId: 'deny', value: request.id }),
      ]),
    );
  } else {
    blocks.push(section(decisionLine(request)));
  }
  if (extra.outcome) blocks.push(section(extra.outcome));
  if (extra.trailing) blocks.push(...extra.trailing);
  blocks.push(context([`approval \`${request.id}\``]));
  return message(title, blocks);
}

function decisionLine(request: ApprovalRequest): string {
  switch (request.status) {
    case 'approved':
    case 'used':
      return `:white_check_mark: Approved by ${actorText(request.decidedBy)}`;
    case 'denied':
      return `:no_entry_sign: Denied by ${actorText(request.decidedBy)}`;
    case 'expired':
      return ':hourglass: Expired without a decision; nothing was done.';
    default:
      return '';
  }
}
