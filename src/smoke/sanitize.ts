/** Longest reason a smoke result may carry. */
export const MAX_REASON = 200;

// C0/C1 control characters (\p{Cc}: U+0000-U+001F and U+007F-U+009F; ANSI escapes start with ESC) and
// Unicode bidi overrides: a hostile target must not be able to repaint a terminal or reorder text in Slack.
const CONTROL = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

/** One line of plain text: control characters removed, whitespace collapsed, at most `max` characters. */
export function sanitizeText(text: string, max = MAX_REASON): string {
  const line = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return truncate(line, max);
}

/** A short excerpt of a response body for a reason: never more than `max` characters, quoted. */
export function excerpt(body: string, max = 60): string {
  const text = sanitizeText(body, max);
  return text ? `"${text}"` : '(empty body)';
}
