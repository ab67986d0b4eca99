/**
 * The one rule for characters that never belong in text we accept or show: C0 and C1 control
 * characters (terminal escapes start with ESC), DEL, and Unicode's bidirectional formatting
 * characters. A RIGHT-TO-LEFT OVERRIDE (U+202E) makes Slack, a terminal or a report show
 * `evil reason gnisaeler` as something else, so an approver would read reordered text.
 *
 * Tab and line feed are left to the caller: they are whitespace, which every caller either
 * splits on, collapses, or keeps on purpose (a multi-line report).
 */

/** C0 but tab and line feed, DEL and C1, then the bidi marks, embeddings, overrides and isolates. */
const CLASS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

const ONE = new RegExp(`[${CLASS}]`, 'u');
const RUNS = new RegExp(`[${CLASS}]+`, 'gu');
const WITH_BREAKS = new RegExp(`[\\t\\n${CLASS}]`, 'u');

/** True when `text` holds a control or bidi character; tab and line feed count too when `breaks` is false. */
export function hasControlCharacters(text: string, options: { breaks?: boolean } = {}): boolean {
  return (options.breaks === false ? WITH_BREAKS : ONE).test(text);
}

/** Each run of control or bidi characters replaced by `by` (default one space); tab and line feed stay. */
export function replaceControlCharacters(text: string, by = ' '): string {
  return text.replace(RUNS, by);
}

/** The control or bidi characters in `text` (not tab or line feed), named by code point (`U+202E`), each once. */
export function namedControlCharacters(text: string): string[] {
  const found = text.match(new RegExp(`[${CLASS}]`, 'gu')) ?? [];
  return [...new Set(found)].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
