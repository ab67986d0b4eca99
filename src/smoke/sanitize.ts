import { replaceControlCharacters } from '../text/control';

/** Longest reason a smoke result may carry. */
export const MAX_REASON = 200;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

/** One line of plain text: control characters removed, whitespace collapsed, at most `max` characters. */
export function sanitizeText(text: string, max = MAX_REASON): string {
  // A hostile target must not be able to repaint a terminal or reorder text in Slack.
  const line = replaceControlCharacters(text).replace(/\s+/g, ' ').trim();
  return truncate(line, max);
}

/** A short excerpt of a response body for a reason: never more than `max` characters, quoted. */
export function excerpt(body: string, max = 60): string {
  const text = sanitizeText(body, max);
  return text ? `"${text}"` : '(empty body)';
}
