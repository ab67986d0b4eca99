import { CheckError } from './check-types';

export interface SensitivePattern {
  /** What kind of data it reveals; the only thing a reason may name. */
  kind: string;
  regex: RegExp;
}

interface DefaultPattern {
  id: string;
  kind: string;
  regexes: RegExp[];
}

// Quantifiers are bounded so that a 64 KiB hostile body cannot make a scan backtrack for seconds.
export const DEFAULT_SENSITIVE_PATTERNS: readonly DefaultPattern[] = [
  {
    id: 'stack',
    kind: 'stack trace',
    regexes: [
      /\bat (?:async )?[\w$.<>[\] ]{1,120}\((?:file:\/\/)?[^()\s]{1,300}:\d{1,6}(?::\d{1,6})?\)/,
      /\bat (?:file:\/\/)?\/[^()\s]{1,300}:\d{1,6}:\d{1,6}/,
      /Traceback \(most recent call last\)/,
    ],
  },
  {
    id: 'sql',
    kind: 'SQL/ORM details',
    regexes: [
      /\b(?:Prisma\w{0,40}|Sequelize\w{0,40}|TypeORM|QueryFailedError|SQLSTATE|ORA-\d{5}|PG::\w{1,40})/i,
      // Upper-case only: "select an option from" is English, "SELECT id FROM" is SQL.
      /\bSELECT\b[^;]{1,300}?\bFROM\b/,
      /\b(?:INSERT INTO|DELETE FROM)\b|\bUPDATE \S{1,64} SET\b/,
      /violates (?:unique|foreign key|not-null) constraint/i,
    ],
  },
  {
    id: 'email',
    kind: 'email address',
    regexes: [/[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/],
  },
  { id: 'ssn', kind: 'SSN-like number', regexes: [/(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)/] },
  { id: 'password', kind: 'password', regexes: [/password/i] },
];

/**
 * The patterns an error-body scan uses. Configured entries are regular expressions (matched
 * case-insensitively) added to the defaults; `!<id>` turns one default off (`!email`, `!password`,
 * `!stack`, `!sql`, `!ssn`) and `!defaults` turns them all off.
 * @throws CheckError when an entry is not a valid regular expression.
 */
export function compileSensitivePatterns(configured: readonly string[] = []): SensitivePattern[] {
  const disabled = new Set(configured.filter((e) => e.startsWith('!')).map((e) => e.slice(1).trim().toLowerCase()));
  const defaults = disabled.has('defaults') ? [] : DEFAULT_SENSITIVE_PATTERNS.filter((p) => !disabled.has(p.id));
  const patterns: SensitivePattern[] = defaults.flatMap((p) => p.regexes.map((regex) => ({ kind: p.kind, regex })));
  configured.forEach((entry, index) => {
    if (entry.startsWith('!')) return;
    try {
      patterns.push({ kind: `custom pattern ${index + 1}`, regex: new RegExp(entry, 'i') });
    } catch {
      throw new CheckError(`sensitivePatterns entry ${index + 1} is not a valid regular expression`);
    }
  });
  return patterns;
}

/** The kinds of sensitive data found in `text`, each once, in pattern order. */
export function findSensitiveKinds(text: string, patterns: readonly SensitivePattern[]): string[] {
  const kinds: string[] = [];
  for (const { kind, regex } of patterns) {
    if (!kinds.includes(kind) && regex.test(text)) kinds.push(kind);
  }
  return kinds;
}
