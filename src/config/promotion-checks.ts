/**
 * The checks a config's promotion chain must pass, beyond each key's own shape: the source is a
 * service of the same config, the chain has no cycle, and the source's container carries the
 * same name (the image moves from one container of that name to the other).
 */
import type { Config } from './schema';

/** One issue per problem, as `services.backend.promotesFrom: …`; empty when the chain is sound. */
export function promotionIssues(config: Config): string[] {
  const services = config.services;
  const has = (name: string) => Object.prototype.hasOwnProperty.call(services, name);
  const issues: string[] = [];
  for (const [name, svc] of Object.entries(services)) {
    const from = svc.promotesFrom;
    if (from === undefined) continue;
    const key = `services.${name}.promotesFrom`;
    if (from === name) issues.push(`${key}: a service cannot promote from itself`);
    else if (!has(from))
      issues.push(`${key}: unknown service "${from}" (configured: ${Object.keys(services).join(', ')})`);
    else if (services[from].container !== svc.container)
      issues.push(
        `${key}: ${from}'s container is "${services[from].container}", not "${svc.container}" (the promoted image needs a container of the same name)`,
      );
    const cycle = cycleFrom(name, (n) => (has(n) ? services[n].promotesFrom : undefined));
    if (cycle) issues.push(`${key}: the promotion chain is a cycle (${cycle.join(' → ')})`);
  }
  return issues;
}

/** The chain from `start` when it comes back to `start` (`a → b → a`), else null. */
function cycleFrom(start: string, next: (name: string) => string | undefined): string[] | null {
  const chain = [start];
  for (let at = next(start); at !== undefined; at = next(at)) {
    chain.push(at);
    if (at === start) return chain.length > 2 ? chain : null;
    if (chain.length > 64 || chain.indexOf(at) < chain.length - 1) return null;
  }
  return null;
}
