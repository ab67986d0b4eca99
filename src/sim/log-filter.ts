/**
 * CloudWatch Logs filter patterns for unstructured lines: `ERROR` (term, case-sensitive),
 * `"two words"` (phrase), `?ERROR ?Exception` (any of), `-DEBUG` (exclude), `%regex%`.
 */
import { AwsError } from './wire';

type Matcher = (message: string) => boolean;

function termMatcher(term: string): Matcher {
  if (term.length > 2 && term.startsWith('%') && term.endsWith('%')) {
    let regex: RegExp;
    try {
      regex = new RegExp(term.slice(1, -1));
    } catch {
      throw new AwsError('InvalidParameterException', 'Invalid regex in filter pattern.');
    }
    return (m) => regex.test(m);
  }
  const text = term.startsWith('"') && term.endsWith('"') && term.length >= 2 ? term.slice(1, -1) : term;
  return (m) => m.includes(text);
}

function tokenize(pattern: string): string[] {
  return pattern.match(/[?-]?(?:"[^"]*"|%[^%]*%|\S+)/g) ?? [];
}

/**
 * Compiles a filter pattern into a predicate.
 * @throws AwsError `InvalidParameterException` for JSON or space-delimited patterns and bad regexes.
 */
export function compileFilterPattern(pattern: string | undefined): Matcher {
  const trimmed = (pattern ?? '').trim();
  if (!trimmed) return () => true;
  if (/^[{[]/.test(trimmed))
    throw new AwsError('InvalidParameterException', 'The simulator supports only unstructured filter patterns.');
  const all: Matcher[] = [];
  const any: Matcher[] = [];
  const none: Matcher[] = [];
  for (const token of tokenize(trimmed)) {
    if (token.startsWith('?')) any.push(termMatcher(token.slice(1)));
    else if (token.startsWith('-') && token.length > 1) none.push(termMatcher(token.slice(1)));
    else all.push(termMatcher(token));
  }
  return (message) =>
    all.every((m) => m(message)) && (any.length === 0 || any.some((m) => m(message))) && !none.some((m) => m(message));
}
