/** A service's `repositoryUrl` read as a GitHub repository, and where its API answers. */

/** The public API; GitHub Actions sets GITHUB_API_URL to it (or to an Enterprise Server's `/api/v3`). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

export interface GitHubRepository {
  owner: string;
  name: string;
  /** `https://github.com/OWNER/NAME` (or the Enterprise Server's), without a trailing slash. */
  webUrl: string;
}

const SEGMENT = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * `https://github.com/OWNER/NAME`, `https://ghe.example.com/OWNER/NAME` (a trailing `/` or `.git`
 * allowed) → owner and name. Null for anything else.
 */
export function parseRepositoryUrl(url: string): GitHubRepository | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // not a URL at all: the caller says so
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const parts = parsed.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  if (parts.length !== 2 || !parts.every((p) => SEGMENT.test(p) && p !== '.' && p !== '..')) return null;
  const [owner, name] = parts;
  return { owner, name, webUrl: `${parsed.origin}/${owner}/${name}` };
}

/**
 * The API base for a repository: GITHUB_API_URL when set; else the public API for github.com,
 * and `https://HOST/api/v3` for an Enterprise Server.
 */
export function apiBaseFor(repository: GitHubRepository, env: NodeJS.ProcessEnv): string {
  const configured = env.GITHUB_API_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  const origin = new URL(repository.webUrl).origin;
  return origin === 'https://github.com' ? DEFAULT_GITHUB_API_URL : `${origin}/api/v3`;
}

/** The compare page people open: built by us, never taken from an answer. */
export function compareUrl(repository: GitHubRepository, base: string, head: string): string {
  return `${repository.webUrl}/compare/${base}...${head}`;
}
