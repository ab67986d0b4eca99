/**
 * One workspace. Slack signs every request it delivers, including those from other workspaces:
 * a Slack Connect channel shared with another organisation, another workspace of an Enterprise
 * Grid, or another install of the same app. A request whose team or organisation is not the
 * installed one is refused before any listener runs, and audited, reads included.
 *
 * The installed workspace is config `slack.teamId` (T… and, for Enterprise Grid, E… IDs), or else
 * what `auth.test` says about the bot token: its workspace, or its organisation when installed
 * organisation-wide.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logger';
import { slackActor } from './deps';
import { recordRefusal, type AuditLog, type RefusalSource } from './refusals';
import type { BotIdentity } from './app';

export interface Workspaces {
  teams: string[];
  enterprises: string[];
}

/** Where a request comes from, as its body says, and who sent it. */
export interface RequestOrigin extends Workspaces {
  user: string | null;
  where: RefusalSource;
  /** The slash command or the action_id, or the event type. */
  what: string | null;
}

export interface WorkspaceGuardOptions {
  /** Config `slack.teamId`; when unset, the workspace is learned from `auth.test`. */
  configured?: readonly string[];
  identity: { get(): Promise<BotIdentity> };
  engine: AuditLog;
  logger: Logger;
}

/** What a foreign slash command is told (nothing about this workspace). */
export const FOREIGN_WORKSPACE = ':no_entry: This app serves only the workspace it is installed in. Nothing was done.';

/** Slack IDs only: anything else in those fields is cut out before it is logged or audited. */
function id(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Z0-9]{1,40}$/.test(value) ? value : null;
}

function ids(...values: unknown[]): string[] {
  return [...new Set(values.map(id).filter((v): v is string => v !== null))];
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Every team and organisation a request names: the request's own, and its sender's. */
export function requestOrigin(body: Record<string, unknown>): RequestOrigin {
  const { team, user, enterprise, event } = body;
  const teams = ids(body.team_id, field(team, 'id'), field(user, 'team_id'), field(event, 'user_team'));
  const enterprises = ids(body.enterprise_id, field(enterprise, 'id'), field(team, 'enterprise_id'));
  if (typeof body.command === 'string')
    return { teams, enterprises, user: id(body.user_id), where: 'command', what: body.command.slice(0, 40) };
  if (body.type === 'event_callback')
    return { teams, enterprises, user: id(field(event, 'user')), where: 'event', what: eventType(event) };
  const actions = body.actions;
  const action = Array.isArray(actions) ? (actions[0] as unknown) : undefined;
  const actionId = field(action, 'action_id');
  return {
    teams,
    enterprises,
    user: id(field(user, 'id')),
    where: 'button',
    what: typeof actionId === 'string' ? actionId.slice(0, 80) : null,
  };
}

function eventType(event: unknown): string | null {
  const type = field(event, 'type');
  return typeof type === 'string' ? type.slice(0, 40) : null;
}

/**
 * True when the request is the installed workspace's: it names a team or an organisation, and
 * either every organisation it names is a home one, or every team it names is.
 */
export function fromHome(origin: Workspaces, home: Workspaces): boolean {
  const { teams, enterprises } = origin;
  if (enterprises.length > 0 && enterprises.every((e) => home.enterprises.includes(e))) return true;
  return teams.length > 0 && teams.every((t) => home.teams.includes(t));
}

/** The installed workspace: configured, or learned from `auth.test`; null while it is unknown. */
export async function homeWorkspace(
  options: Pick<WorkspaceGuardOptions, 'configured' | 'identity'>,
): Promise<Workspaces | null> {
  if (options.configured?.length)
    return {
      teams: options.configured.filter((v) => v.startsWith('T')),
      enterprises: options.configured.filter((v) => v.startsWith('E')),
    };
  const me = await options.identity.get();
  if (!me.teamId && !me.enterpriseId) return null;
  return { teams: me.teamId ? [me.teamId] : [], enterprises: me.enterpriseId ? [me.enterpriseId] : [] };
}

/** Global middleware: a request from another workspace stops here, audited; a slash command is told why. */
export function onlyHomeWorkspace(options: WorkspaceGuardOptions): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const home = await homeWorkspace(options);
    const origin = requestOrigin(args.body as unknown as Record<string, unknown>);
    if (home && fromHome(origin, home)) {
      await args.next();
      return;
    }
    const from = [...origin.teams, ...origin.enterprises].join(', ') || 'no workspace';
    const why = home
      ? `the request came from ${from}, not the workspace this app is installed in`
      : `the installed workspace is not known yet (Slack's auth.test did not answer; set slack.teamId)`;
    // Answered first: Slack waits 3 s at most.
    if ('command' in args) await args.ack(FOREIGN_WORKSPACE);
    else if ('ack' in args && typeof args.ack === 'function') await args.ack();
    await recordRefusal(options, {
      actor: slackActor({ id: origin.user ?? 'unknown' }),
      what: 'workspace',
      service: null,
      why,
      where: origin.where,
      details: { team: origin.teams, enterprise: origin.enterprises, request: origin.what },
    });
  };
}
