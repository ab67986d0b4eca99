/**
 * Who may do what, from the config's access lists (Slack user IDs and user-group IDs).
 *
 * Rules, chosen to fail closed for anything that changes production:
 * - A service's own `access.<action>` list replaces the global one for that action (no merging),
 *   so a sensitive service can be narrowed without touching the others.
 * - `read` without a list: everyone may read. Any change (`deploy`, `rollback`, `stop`, `restart`)
 *   or `approve` without a list: nobody may, and the refusal says which key to configure.
 * - An empty list means nobody.
 * - Group membership comes from `usergroups.users.list`, cached for `slack.groupCacheTtl`; if Slack
 *   cannot answer, a recently cached answer is used, otherwise the check fails closed.
 */
import type { webApi } from '@slack/bolt';
import type { AccessConfig, Config, ServiceConfig } from '../config/schema';
import type { Logger } from '../logger';
import { slackErrorCode } from './slack-client';

export type AccessAction = keyof AccessConfig;

export type AuthDecision = { allowed: true } | { allowed: false; reason: string };

/** The one Web API call authorisation needs; a WebClient satisfies it. */
export type GroupClient = Pick<webApi.WebClient, 'usergroups'>;

interface CacheEntry {
  users: Set<string>;
  fetchedAt: number;
}

/** How long past its TTL a cached group may still be used when Slack is unreachable. */
const STALE_GRACE_FACTOR = 10;

export class Authorizer {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly config: Config,
    private readonly client: GroupClient,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The list that governs `action` on `service` (or globally), or undefined when none is configured. */
  listFor(action: AccessAction, service?: string): string[] | undefined {
    // `service` may be any name a person typed: one the config does not know has no list of its own.
    const svc: ServiceConfig | undefined = service ? this.config.services[service] : undefined;
    const own = svc?.access?.[action];
    return own ?? this.config.access[action];
  }

  /** Decides whether `userId` may do `action` on `service`. Never throws. */
  async check(userId: string, action: AccessAction, service?: string): Promise<AuthDecision> {
    const list = this.listFor(action, service);
    const what = `${action}${service ? ` ${service}` : ''}`;
    if (list === undefined) {
      if (action === 'read') return { allowed: true };
      const key = service ? `services.${service}.access.${action} or access.${action}` : `access.${action}`;
      return { allowed: false, reason: `nobody may ${what} from Slack: ${key} is not configured` };
    }
    if (list.includes(userId)) return { allowed: true };
    let unknownGroups = 0;
    for (const id of list.filter(isGroupId)) {
      const members = await this.members(id);
      if (members === undefined) unknownGroups += 1;
      else if (members.has(userId)) return { allowed: true };
    }
    if (unknownGroups)
      return {
        allowed: false,
        reason: `could not check your group membership for ${what} (Slack did not answer); try again shortly`,
      };
    return { allowed: false, reason: `you are not allowed to ${what}` };
  }

  /** The services among `services` that `userId` may read, in the same order. Never throws. */
  async readable(userId: string, services: string[]): Promise<string[]> {
    const decisions = await Promise.all(services.map((s) => this.check(userId, 'read', s)));
    return services.filter((_, i) => decisions[i].allowed);
  }

  /** Members of a user group, from cache when fresh; undefined when unknown. */
  private async members(groupId: string): Promise<Set<string> | undefined> {
    const ttl = this.config.slack.groupCacheTtl;
    const cached = this.cache.get(groupId);
    const age = cached ? this.now() - cached.fetchedAt : Infinity;
    if (cached && age < ttl) return cached.users;
    try {
      return await this.fetchMembers(groupId);
    } catch (e) {
      this.logger?.warn({ group: groupId, err: slackErrorCode(e) }, 'user-group lookup failed');
      return cached && age < ttl * STALE_GRACE_FACTOR ? cached.users : undefined;
    }
  }

  private fetchMembers(groupId: string): Promise<Set<string>> {
    // Concurrent checks of one group share a single call (the method is Tier 2).
    const pending = this.inFlight.get(groupId);
    if (pending) return pending;
    const call = this.client.usergroups.users
      .list({ usergroup: groupId })
      .then((r) => {
        const users = new Set(r.users ?? []);
        this.cache.set(groupId, { users, fetchedAt: this.now() });
        return users;
      })
      .finally(() => this.inFlight.delete(groupId));
    this.inFlight.set(groupId, call);
    return call;
  }
}

/** `S…` are user groups; `U…`/`W…` are users. */
export function isGroupId(id: string): boolean {
  return !/^[UW]/.test(id);
}
