/**
 * What every slash command's parser shares: the result shape, the word splitter that refuses
 * huge or hostile text, Slack's escaping undone once, and the service and SHA checks.
 */
import { SERVICE_NAME } from '../config/service-name';
import { isValidSha } from '../engine/release-ref';
import { hasControlCharacters, namedControlCharacters } from '../text/control';

export type Parsed<T> = { kind: 'ok'; args: T } | { kind: 'help' } | { kind: 'usage'; problem?: string };

/** Longest command text we look at; anything longer is a mistake or an attack. */
export const MAX_TEXT = 500;
/** The longest free-text reason a command takes. */
export const MAX_REASON = 300;

// Nothing runs a shell, but these never belong in our arguments and often mean a paste gone wrong.
export const SHELL_META = /[;|&$`<>\\]/;

const SLACK_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * Slack sends command text with `&`, `<` and `>` escaped. Undone once, here, so that a reason
 * escaped again for display shows `<` and not `&amp;lt;`.
 */
export function unescapeSlack(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => SLACK_ENTITIES[entity] ?? entity);
}

type Tokens = { kind: 'tokens'; tokens: string[]; raw: string } | Exclude<Parsed<never>, { kind: 'ok' }>;

/** Splits the text into words; `help`, empty-but-required, huge or hostile input end here. */
export function tokenize(text: string | undefined, options: { allowMeta?: boolean } = {}): Tokens {
  const raw = unescapeSlack(text ?? '')
    .replace(/\u00a0/g, ' ')
    .trim();
  if (raw.length > MAX_TEXT)
    return { kind: 'usage', problem: `input too long (${raw.length} characters; at most ${MAX_TEXT})` };
  // Named by code point, never echoed: a raw RIGHT-TO-LEFT OVERRIDE would reorder the reply too.
  if (hasControlCharacters(raw))
    return {
      kind: 'usage',
      problem: `input contains control or bidirectional characters (${namedControlCharacters(raw).slice(0, 5).join(' ')})`,
    };
  if (!options.allowMeta && SHELL_META.test(raw))
    return { kind: 'usage', problem: 'input contains characters that are not allowed (; | & $ ` < > \\)' };
  const tokens = raw ? raw.split(/\s+/) : [];
  if (tokens.length === 1 && /^(help|-h|--help)$/i.test(tokens[0])) return { kind: 'help' };
  return { kind: 'tokens', tokens, raw };
}

export function checkService(name: string | undefined, services: readonly string[]): string | undefined {
  if (!name) return 'a service is required';
  if (!SERVICE_NAME.test(name) || !services.includes(name)) return `unknown service "${name.slice(0, 40)}"`;
  return undefined;
}

export function checkSha(sha: string | undefined): string | undefined {
  if (!sha) return 'a git SHA is required';
  return isValidSha(sha) ? undefined : `"${sha.slice(0, 50)}" is not a git SHA (7 to 40 hex characters)`;
}
