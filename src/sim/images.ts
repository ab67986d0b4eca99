/** Which seeded image (and so which git SHA) a task definition's app container runs. */
import type { SimImage, SimService, SimState } from './model';
import { containerImage, findTaskDefinition } from './task-definitions';

/** Parses `registry/repo@sha256:…` or `registry/repo:tag` into repository and digest or tag. */
export function parseImageUri(uri: string): { repository: string; digest?: string; tag?: string } {
  const at = uri.indexOf('@');
  const path = at >= 0 ? uri.slice(0, at) : uri;
  const slash = path.indexOf('/');
  const withoutRegistry = slash >= 0 && /[.:]/.test(path.slice(0, slash)) ? path.slice(slash + 1) : path;
  if (at >= 0) return { repository: withoutRegistry, digest: uri.slice(at + 1) };
  const colon = withoutRegistry.lastIndexOf(':');
  return colon >= 0
    ? { repository: withoutRegistry.slice(0, colon), tag: withoutRegistry.slice(colon + 1) }
    : { repository: withoutRegistry, tag: 'latest' };
}

export function findImage(state: SimState, uri: string): SimImage | undefined {
  const { repository, digest, tag } = parseImageUri(uri);
  const images = state.images.get(repository) ?? [];
  return images.find((i) => (digest ? i.digest === digest : i.tag === tag));
}

/** The image the service's app container runs under the given task definition, if it is a seeded one. */
export function imageOfTaskDefinition(
  state: SimState,
  service: SimService,
  taskDefinition: string,
): SimImage | undefined {
  const definition = findTaskDefinition(state, taskDefinition);
  const uri = definition ? containerImage(definition, service.container) : undefined;
  return uri ? findImage(state, uri) : undefined;
}
