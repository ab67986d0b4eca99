/**
 * Block Kit building blocks that keep within Slack's limits whatever text they are given.
 * Every view builds from these, so a 10 KB event message or 200 targets cannot break a message.
 */

import type { types } from '@slack/bolt';
import { replaceControlCharacters } from '../../text/control';

/** A Block Kit block, loosely typed: views build plain JSON. */
export interface SlackBlock {
  type: string;
  [key: string]: unknown;
}

/** Our blocks as the SDK's type: views build plain JSON (including blocks newer than the SDK's types). */
export function asBlocks(blocks: SlackBlock[]): types.KnownBlock[] {
  return blocks as unknown as types.KnownBlock[];
}

export interface SlackMessage {
  /** Notification and fallback text. */
  text: string;
  blocks: SlackBlock[];
}

export const LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  field: 2000,
  fields: 10,
  contextElements: 10,
  actionsElements: 25,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  fallbackText: 3000,
} as const;

/** Cuts `text` to at most `max` characters, marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes, then cuts to `max` without leaving half an entity (`&l…`) behind. */
export function escapeAndTruncate(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, Math.max(0, max - 1)).replace(/&[a-z]{0,3}$/, '')}…`;
}

/** Text from outside (log lines, AWS messages) made safe to show: no control characters, no code fences, escaped. */
export function sanitise(text: string, max: number): string {
  const clean = replaceControlCharacters(text).replace(/`/g, "'");
  return escapeAndTruncate(clean, max);
}

/** One log line for a code block: each run of control characters (newlines too) becomes a space; cut to `max`. */
export function logLine(text: string, max: number): string {
  return replaceControlCharacters(text)
    .replace(/[\t\n]+/g, ' ')
    .slice(0, max);
}

export function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text || ' ', LIMITS.sectionText) } };
}

export function sectionWithButton(text: string, button: SlackBlock): SlackBlock {
  return { ...section(text), accessory: button };
}

export function fieldsSection(fields: string[]): SlackBlock {
  return {
    type: 'section',
    fields: fields.slice(0, LIMITS.fields).map((f) => ({ type: 'mrkdwn', text: truncate(f || ' ', LIMITS.field) })),
  };
}

export function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.header), emoji: true } };
}

export function context(texts: string[]): SlackBlock {
  return {
    type: 'context',
    elements: texts
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn', text: truncate(t || ' ', LIMITS.sectionText) })),
  };
}

export function divider(): SlackBlock {
  return { type: 'divider' };
}

/** A code block; backticks inside would end it early, so they become quotes. Mentions stay inert (escaped). */
export function preformatted(text: string, max = 2800): SlackBlock {
  const body = escapeAndTruncate(text.replace(/`/g, "'"), max);
  return section(`\`\`\`${body || ' '}\`\`\``);
}

export interface ConfirmDialog {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export function button(spec: ButtonSpec): SlackBlock {
  const b: SlackBlock = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(spec.text, LIMITS.buttonText), emoji: true },
    action_id: spec.actionId,
    value: truncate(spec.value, LIMITS.buttonValue),
  };
  if (spec.style) b.style = spec.style;
  if (spec.confirm) {
    b.confirm = {
      title: { type: 'plain_text', text: truncate(spec.confirm.title, LIMITS.confirmTitle) },
      text: { type: 'mrkdwn', text: truncate(spec.confirm.text, LIMITS.confirmText) },
      confirm: { type: 'plain_text', text: truncate(spec.confirm.confirm, LIMITS.confirmButton) },
      deny: { type: 'plain_text', text: truncate(spec.confirm.deny ?? 'Cancel', LIMITS.confirmButton) },
      ...(spec.style === 'danger' ? { style: 'danger' } : {}),
    };
  }
  return b;
}

export function actions(blockId: string, elements: SlackBlock[]): SlackBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, LIMITS.actionsElements) };
}

/** Keeps at most `max` blocks; the last kept one says how many were left out. */
export function capBlocks(blocks: SlackBlock[], max: number = LIMITS.messageBlocks): SlackBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context([`…and ${blocks.length - kept.length} more not shown`])];
}

/** The message envelope: fallback text cut to size, blocks capped. */
export function message(text: string, blocks: SlackBlock[], maxBlocks: number = LIMITS.messageBlocks): SlackMessage {
  return { text: truncate(text, LIMITS.fallbackText), blocks: capBlocks(blocks, maxBlocks) };
}
