/**
 * `freeze set <service|all> --for 2h --reason TEXT`, `freeze list`, `freeze clear <service|all>`
 * and `freeze approve <approval-id>` (the second person of a freeze override).
 */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { ActiveFreeze, FreezeListing } from '../engine/api';
import { describeFreeze, freezeEndText } from '../engine/freeze/guard';
import { ALL_SERVICES } from '../engine/freeze/model';
import { CodedError, ErrorCodes } from '../errors';
import type { CliContext } from './context';
import { alignTable, formatTimestamp } from './format-common';
import { checkText, checkToken, parseFreezeFor } from './validate';
import { answer, verbAction } from './verb';

/** Who set it, or the window's zone. */
function source(f: ActiveFreeze): string {
  return f.kind === 'window' ? `config (${f.timeZone ?? 'UTC'})` : (f.setBy?.name ?? '?');
}

function scopeText(f: ActiveFreeze): string {
  return f.scope === ALL_SERVICES ? 'all' : f.scope.join(',');
}

/** Every freeze as a table: ad-hoc ones in force, then each window, in force or next. */
export function formatFreezeListing(listing: FreezeListing): string[] {
  const rows = [
    ...listing.adHoc.map((f) => ({ ...f, state: 'in force' })),
    ...listing.windows.map((w) => ({ ...w, state: w.active ? 'in force' : 'next' })),
  ].map((f) => [
    f.name,
    scopeText(f),
    f.state,
    formatTimestamp(f.since),
    freezeEndText(f),
    source(f),
    f.reason.replace(/\s+/g, ' ').slice(0, 60),
  ]);
  if (rows.length === 0) return ['no freezes: none set, none configured'];
  return alignTable([['NAME', 'SCOPE', 'STATE', 'FROM', 'UNTIL', 'BY', 'REASON'], ...rows]);
}

/** `backend` or `all`, checked against the config. */
function checkScope(ctx: CliContext, cmd: Command, scope: string): string {
  checkToken('service', scope);
  if (scope !== ALL_SERVICES) getService(ctx.config(cmd), scope);
  return scope;
}

export function registerFreeze(program: Command, ctx: CliContext): void {
  const freeze = program
    .command('freeze')
    .description('change freezes: deploys are refused while one is in force (rollback, stop and restart go through)');

  freeze
    .command('set')
    .description('freeze a service (or all) for a while; setting it again replaces it')
    .argument('<service|all>', 'service name from the config, or all')
    .requiredOption('--for <duration>', 'how long, from 1m to 30d (e.g. 2h)')
    .requiredOption('--reason <text>', 'why, shown to everyone refused')
    .action(
      verbAction(ctx, async ([target], options, cmd) => {
        const scope = checkScope(ctx, cmd, target);
        const durationMs = parseFreezeFor(String(options.for));
        const reason = checkText('--reason', String(options.reason), 300);
        const { engine } = await ctx.runtime(cmd);
        const set = await engine.setFreeze({ scope, durationMs, reason, actor: ctx.actor() });
        return answer({ freeze: set }, [`froze ${scope} until ${freezeEndText(set)}: ${set.reason}`]);
      }),
    );

  freeze
    .command('list')
    .description('ad-hoc freezes in force, and every configured window (in force or next)')
    .action(
      verbAction(ctx, async (_args, _options, cmd) => {
        const { engine } = await ctx.runtime(cmd);
        const listing = await engine.listFreezes();
        return answer({ ...listing }, formatFreezeListing(listing));
      }),
    );

  freeze
    .command('clear')
    .description("lift a service's (or all's) ad-hoc freeze; configured windows stay")
    .argument('<service|all>', 'service name from the config, or all')
    .action(
      verbAction(ctx, async ([target], _options, cmd) => {
        const scope = checkScope(ctx, cmd, target);
        const { engine } = await ctx.runtime(cmd);
        const removed = (await engine.clearFreeze(scope, ctx.actor())) ?? null;
        const still = scope === ALL_SERVICES ? [] : await engine.activeFreezes(scope);
        const lines = [removed ? `lifted the freeze on ${scope}: ${removed.reason}` : `${scope} had no ad-hoc freeze`];
        if (still.length) lines.push(`${scope} is still frozen: ${still.map(describeFreeze).join('; ')}`);
        return answer({ scope, removed, stillFrozen: still }, lines);
      }),
    );

  freeze
    .command('approve')
    .description("approve another person's freeze override (they then deploy with --force --approval ID)")
    .argument('<approval-id>', 'the id printed by the refused deploy')
    .action(
      verbAction(ctx, async ([id], _options, cmd) => {
        checkToken('approval id', id, 60);
        const { engine } = await ctx.runtime(cmd);
        const request = await engine.getApproval(id);
        if (request?.params.freezeOverride !== true)
          throw new CodedError(ErrorCodes.approvalInvalid, `${id} is not a freeze override request`);
        const decided = await engine.decideApproval(id, 'approved', ctx.actor());
        if (!decided.ok)
          throw new CodedError(ErrorCodes.approvalInvalid, `cannot approve ${id}: ${decided.reason.replace('_', ' ')}`);
        const sha = typeof request.params.sha === 'string' ? request.params.sha : '?';
        return answer({ approval: decided.request }, [
          `approved ${id}: ${request.requester.name} may deploy ${request.service} ${sha} during the freeze`,
          `they run: ecs-chatops deploy ${request.service} ${sha} --force --approval ${id}`,
        ]);
      }),
    );
}
