import { z } from 'zod';

/** Hosts whose traffic never leaves the machine: plain HTTP to them is not sent over a network. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    // Not a URL: the caller says so in its own words.
    return null;
  }
}

function isWeb(url: URL | null): url is URL {
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** A user name or password before the host (`https://127.0.0.1@evil.example`) hides the real host, evil.example. */
function hasUserinfo(value: string): boolean {
  const url = parseUrl(value);
  return url !== null && (url.username !== '' || url.password !== '');
}

const NO_USERINFO =
  'must not carry a user name or password before the host (user@host): the host is what follows the @';

/** An absolute http:// or https:// URL (no `file:`, `javascript:`, `gopher:` …), with no userinfo. */
export const webUrl = z
  .string()
  .refine((value) => isWeb(parseUrl(value)), 'must be an http(s) URL')
  .refine((value) => !hasUserinfo(value), NO_USERINFO);

/**
 * An https:// URL for production traffic. Plain http:// is accepted only for a loopback host
 * (a local simulator or sidecar), since that never crosses a network.
 */
export const secureUrl = z
  .string()
  .refine((value) => {
    const url = parseUrl(value);
    return isWeb(url) && (url.protocol === 'https:' || LOOPBACK.has(url.hostname));
  }, 'must be https')
  .refine((value) => !hasUserinfo(value), NO_USERINFO);
