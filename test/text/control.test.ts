import { hasControlCharacters, namedControlCharacters, replaceControlCharacters } from '../../src/text/control';
import { parseStop } from '../../src/slack/command-parse';
import { checkText, checkToken } from '../../src/cli/validate';
import { logLine, sanitise } from '../../src/slack/views/blocks';
import { escapeText } from '../../src/report/markdown';
import { sanitizeText } from '../../src/smoke/sanitize';
import { oneLine } from '../../src/cli/format-common';

/** Every character the rule covers, by range. */
const CONTROLS = [
  ['C0', 0x00, 0x08],
  ['C0', 0x0b, 0x1f],
  ['DEL and C1', 0x7f, 0x9f],
  ['Arabic letter mark', 0x61c, 0x61c],
  ['LRM, RLM', 0x200e, 0x200f],
  ['bidi embeddings and overrides', 0x202a, 0x202e],
  ['bidi isolates', 0x2066, 0x2069],
] as const;

const every = CONTROLS.flatMap(([, from, to]) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i)),
);

describe('the control-character rule', () => {
  it.each(CONTROLS)('covers %s (U+%s…)', (_name, from, to) => {
    for (let c = from; c <= to; c += 1) expect(hasControlCharacters(`a${String.fromCharCode(c)}b`)).toBe(true);
  });

  it('leaves ordinary text, other Unicode, tab and line feed alone (those count only when asked)', () => {
    for (const text of ['deploy backend', 'Grüße, 日本語, emoji 🚀, אבג', 'a\u00a0b', 'x\u2028y'])
      expect(hasControlCharacters(text)).toBe(false);
    expect(hasControlCharacters('a\tb\nc')).toBe(false);
    expect(hasControlCharacters('a\tb', { breaks: false })).toBe(true);
    expect(hasControlCharacters('a\nb', { breaks: false })).toBe(true);
  });

  it('replaces runs, and names what it found by code point', () => {
    expect(replaceControlCharacters('evil \u202ereason\u2066\u2069 here')).toBe('evil  reason  here');
    expect(replaceControlCharacters('a\u001b[2Jb', '')).toBe('a[2Jb');
    expect(namedControlCharacters('x\u202ey\u2067z\u202e')).toEqual(['U+202E', 'U+2067']);
  });

  it('every place that accepts or shows outside text uses it: no bidi or control character gets through', () => {
    const hostile = `evil ${every.join('')} reason`;
    expect(parseStop(`backend ${hostile}`, ['backend'])).toMatchObject({ kind: 'usage' });
    expect(() => checkText('--reason', hostile)).toThrow(/control character/);
    expect(() => checkToken('service', 'back\u202eend')).toThrow(/control character/);
    for (const shown of [
      sanitise(hostile, 500),
      escapeText(hostile),
      sanitizeText(hostile, 500),
      oneLine(hostile, 500),
      logLine(hostile, 500),
    ])
      expect(hasControlCharacters(shown)).toBe(false);
  });
});
