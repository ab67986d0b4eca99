/**
 * Just enough Dockerfile and .dockerignore reading to check our own files without a Docker
 * engine: instructions with continuation lines joined, grouped into stages by FROM.
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, … */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
  line: number;
}

export interface Stage {
  from: Instruction;
  /** `AS name`, lower-cased, when given. */
  name: string | null;
  instructions: Instruction[];
}

/** Splits a Dockerfile into instructions (comments and parser directives dropped). */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { parts: string[]; line: number } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && !pending)) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    if (part) pending.parts.push(part);
    if (continued) return;
    const joined = pending.parts.join(' ');
    const match = /^(\S+)\s*(.*)$/.exec(joined);
    if (match) out.push({ keyword: match[1].toUpperCase(), args: match[2], line: pending.line });
    pending = null;
  });
  return out;
}

/** Groups instructions into build stages; ARGs before the first FROM are dropped. */
export function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const as = /\s+AS\s+(\S+)\s*$/i.exec(ins.args);
      stages.push({ from: ins, name: as ? as[1].toLowerCase() : null, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return stages;
}

/** The base image of a FROM line (`node:20-bookworm-slim` of `node:20-bookworm-slim AS build`). */
export function baseImage(from: Instruction): string {
  return from.args.split(/\s+/).find((w) => !w.startsWith('--')) ?? '';
}

/** Exec-form arguments (`["node", "x.js"]`), or null for the shell form. */
export function execForm(args: string): string[] | null {
  const json = args.replace(/^(--\S+\s+)*/, '').trim();
  if (!json.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : null;
}

/** `KEY=value` pairs of an ENV or ARG instruction (also the legacy `ENV KEY value`). */
export function assignments(args: string): Map<string, string> {
  const found = new Map<string, string>();
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(args);
  if (legacy) return found.set(legacy[1], legacy[2].trim());
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*))?/g)) {
    found.set(m[1], ((m[2] as string | undefined) ?? '').replace(/^["']|["']$/g, ''));
  }
  return found;
}

/** Source paths of a COPY/ADD from the build context (none for `--from=`). */
export function contextSources(ins: Instruction): string[] {
  const words = ins.args.split(/\s+/);
  if (words.some((w) => w.startsWith('--from='))) return [];
  const paths = words.filter((w) => !w.startsWith('--'));
  return paths.slice(0, -1);
}

/**
 * Whether `.dockerignore` keeps `path` (relative to the context root) out of the build context.
 * Patterns are anchored at the root, `*` stays within one segment, `**` spans any, and a match
 * on a parent folder excludes everything below it; `!` re-includes.
 */
export function isIgnored(path: string, dockerignore: string): boolean {
  let ignored = false;
  for (const raw of dockerignore.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(`^${globToRegex(pattern)}(/.*)?$`);
    if (regex.test(path)) ignored = !negate;
  }
  return ignored;
}

function globToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more folders.
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
