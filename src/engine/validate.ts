import type { TaskDefinition } from './types';

/** `arn:aws:ecs:…:task-definition/family:12` or `family:12` → `family:12`; `missing` when there is none. */
export function shortTaskDefinition(arnOrName: string | null | undefined, missing = '-'): string {
  if (!arnOrName) return missing;
  const slash = arnOrName.lastIndexOf('/');
  return slash >= 0 ? arnOrName.slice(slash + 1) : arnOrName;
}

/** A git SHA as people read it: its first 7 characters; `missing` when there is none. */
export function shortSha(sha: string | null | undefined, missing = '-'): string {
  return sha ? sha.slice(0, 7) : missing;
}

/** `family:12` → { family, revision } (revision NaN when absent). */
export function parseTaskDefinitionName(value: string): { family: string; revision: number } {
  const short = shortTaskDefinition(value);
  const colon = short.lastIndexOf(':');
  if (colon < 0) return { family: short, revision: Number.NaN };
  return { family: short.slice(0, colon), revision: Number(short.slice(colon + 1)) };
}

/** The image of the service's configured container in `td`, or null when `td` has no such container. */
export function containerImage(td: Pick<TaskDefinition, 'containers'>, container: string): string | null {
  return td.containers.find((c) => c.name === container)?.image ?? null;
}

/** The digest part of an image pinned by digest (`repo@sha256:…`), else null. */
export function digestOf(image: string): string | null {
  const at = image.indexOf('@sha256:');
  return at >= 0 ? image.slice(at + 1) : null;
}

/** `sha256:abcdef…` → `abcdef012345` (12 hex), for people. */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '-';
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/**
 * The image to register: the registry path the container already uses, pinned by `digest`, when
 * that path is the same repository (so a pull-through cache or a custom registry name is kept);
 * otherwise the URI ECR gave.
 */
export function pinImage(currentImage: string, repository: string, digest: string, ecrUri: string): string {
  const withoutDigest = currentImage.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const path = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const sameRepository = path === repository || path.endsWith(`/${repository}`);
  return sameRepository ? `${path}@${digest}` : ecrUri;
}
