/** The approval request message, and how it reads once decided, used or expired. */
import type { ApprovalRequest } from '../../engine/model';
import {
  actions,
  button,
  context,
  fieldsSection,
  header,
  message,
  sanitise,
  section,
  type SlackBlock,
  type SlackMessage,
} from './blocks';
import { actorText, peopleText, slackDate } from './format';
import { changesOfApproval } from '../../engine/changes';
import { changesText } from './changes';

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

/** Commits an approval prompt lists: what approvers read before they click. */
const APPROVAL_COMMITS = 10;

/** How the request stands, as a person would say it. */
const STATE: Record<string, string> = {
  pending: 'approval needed',
  approved: 'approved',
  used: 'approved',
  denied: 'denied',
  expired: 'expired without a decision',
};

export function approvalView(request: ApprovalRequest, extra: ApprovalViewExtra = {}): SlackMessage {
  const what = `${ACTION_TITLE[request.action] ?? request.action} of ${request.service}`;
  const state = STATE[request.status] ?? request.status;
  // Headers are plain text (no mentions); the notification text names the decider.
  const title = `${what} — ${state}`;
  const decided =
    request.decidedBy && (request.status === 'approved' || request.status === 'used' || request.status === 'denied');
  const blocks: SlackBlock[] = [
    header(title),
    fieldsSection([
      `*Requested by*\n${actorText(request.requester)}`,
      `*Service*\n${request.service}`,
      `*Reason*\n${sanitise(request.reason, 1000)}`,
      `*Impact*\n${sanitise(request.impact, 500)}`,
      request.status === 'pending'
        ? `*Expires*\n${slackDate(request.expiresAt)}`
        : `*Asked*\n${slackDate(request.createdAt)}`,
    ]),
  ];
  const changes = changesOfApproval(request.params);
  if (changes) blocks.push(section(changesText(changes, { max: APPROVAL_COMMITS })));
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
  if (extra.outcome) {
    blocks.push(section(extra.outcome));
    blocks.push(context([peopleText(request.requester, request.status === 'denied' ? null : request.decidedBy)]));
  }
  if (extra.trailing) blocks.push(...extra.trailing);
  blocks.push(context([`approval \`${request.id}\``]));
  return message(decided ? `${title} by ${actorText(request.decidedBy)}` : title, blocks);
}

function decisionLine(request: ApprovalRequest): string {
  switch (request.status) {
    case 'approved':
    case 'used':
      return `:white_check_mark: Approved by ${actorText(request.decidedBy)}${request.decidedAt ? `, ${slackDate(request.decidedAt)}` : ''}`;
    case 'denied':
      return `:no_entry_sign: Denied by ${actorText(request.decidedBy)}${request.decidedAt ? `, ${slackDate(request.decidedAt)}` : ''}`;
    case 'expired':
      return ':hourglass: Expired without a decision; nothing was done.';
    case 'pending':
      return '';
  }
}
