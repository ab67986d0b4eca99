/** Keys that would reach an object's prototype, or shadow its constructor, when used as a map key. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Every mapping key of the parsed YAML, at any depth, that names a prototype property,
 * as `services.__proto__: not allowed as a key`. A plain object would drop or misuse such a key silently.
 */
export function prototypeKeyIssues(raw: unknown, path: string[] = []): string[] {
  if (Array.isArray(raw)) return raw.flatMap((item, i) => prototypeKeyIssues(item, [...path, String(i)]));
  if (raw === null || typeof raw !== 'object') return [];
  return Object.keys(raw).flatMap((key) => {
    const here = [...path, key];
    if (PROTOTYPE_KEYS.has(key)) return [`${here.join('.')}: not allowed as a key`];
    return prototypeKeyIssues((raw as Record<string, unknown>)[key], here);
  });
}
