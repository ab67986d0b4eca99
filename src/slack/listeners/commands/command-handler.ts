/** What every slash command does around its own work: ack at once, refuse during shutdown, answer errors in one line. */
import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs, SlashCommand } from '@slack/bolt';
import type { Config } from '../../../config/schema';
import { describeError, isCodedError } from '../../../errors';
import type { Actor } from '../../../engine/types';
import type { AccessAction } from '../../auth';
import { SHUTTING_DOWN, slackActor, type Reply, type ReadEngine, type SlackDeps } from '../../deps';
import type { Parsed } from '../../command-parse';
import type { ReadCommand, ReadGate } from '../../read-limits';
import { recordRefusal } from '../../refusals';
import { respondTo } from '../../respond';
import { asBlocks, type SlackMessage } from '../../views/blocks';
import { usageView } from '../../views/help';

export interface CommandContext {
  command: SlashCommand;
  actor: Actor;
  /** Where a change's thread goes. */
  channel: string;
  /** One ephemeral line to the caller. */
  reply: Reply;
  /** A view to the caller only, or to the channel. */
  show(msg: SlackMessage, visibility: 'ephemeral' | 'in_channel'): Promise<void>;
  /** Refuses with a reason (audited) unless the caller may do `action` (on `service`); true when allowed. */
  authorise(action: AccessAction, service?: string): Promise<boolean>;
  /**
   * Charges one run of this rate-limited read on `service`, or refuses it (audited); true when admitted.
   * @param costsService false when the read joins one in flight: it costs the service nothing.
   */
  admitRead(reads: ReadGate, service: string, costsService?: boolean): Promise<boolean>;
  /** Refuses the command: audited, logged, and `text` (default: the reason) told to the caller. */
  refuse(what: string, service: string | null, why: string, text?: string): Promise<void>;
  /** Answers `help` or a usage problem; true when it did (the command stops there). */
  answerUsage(parsed: Parsed<unknown>): Promise<boolean>;
}

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** Wraps a command's work with the rules every command follows. */
export function commandHandler(deps: SlackDeps<ReadEngine>, work: (ctx: CommandContext) => Promise<void>) {
  return async ({ ack, command, respond }: CommandArgs): Promise<void> => {
    await ack();
    const send = async (args: RespondArguments): Promise<void> => {
      try {
        // Our own pooled post is much cheaper than Bolt's fetch-based respond (see respond.ts).
        await (command.response_url ? respondTo(command.response_url, args) : respond(args));
      } catch (e) {
        deps.logger.warn({ err: describeError(e), command: command.command }, 'cannot answer the command');
      }
    };
    const reply: Reply = (text) => send({ response_type: 'ephemeral', text });
    if (!deps.lifecycle.accepting) return reply(SHUTTING_DOWN);
    const actor = slackActor({ id: command.user_id, name: command.user_name });
    const ctx: CommandContext = {
      command,
      actor,
      channel: changeChannel(command.channel_id, deps.config),
      reply,
      show: (msg, visibility) => send({ response_type: visibility, text: msg.text, blocks: asBlocks(msg.blocks) }),
      authorise: async (action, service) => {
        const decision = await deps.auth.check(actor.id, action, service);
        if (!decision.allowed) await ctx.refuse(action, service ?? null, decision.reason);
        return decision.allowed;
      },
      admitRead: async (reads, service, costsService = true) => {
        // Registered only under /smoke, /logs and /status.
        const admitted = reads.admit(actor.id, command.command as ReadCommand, service, costsService);
        if (!admitted.ok) await ctx.refuse('read', service, admitted.why, admitted.text);
        return admitted.ok;
      },
      refuse: async (what, service, why, text) => {
        await recordRefusal(deps, {
          actor,
          what,
          service,
          why,
          where: 'command',
          details: { command: command.command },
        });
        await reply(text ?? `:no_entry: ${why}. Nothing was done.`);
      },
      answerUsage: async (parsed) => {
        if (parsed.kind === 'ok') return false;
        // Only the services the caller may read are named.
        const services = await deps.auth.readable(
          actor.id,
          deps.engine.services.map((s) => s.name),
        );
        const view = usageView(command.command, parsed.kind === 'usage' ? parsed.problem : undefined, services);
        await send({ response_type: 'ephemeral', text: view.text, blocks: asBlocks(view.blocks) });
        return true;
      },
    };
    try {
      await work(ctx);
    } catch (e) {
      deps.logger.error({ err: e, command: command.command, user: command.user_id }, 'command failed');
      await reply(`:x: ${isCodedError(e) ? describeError(e) : `unexpected error: ${describeError(e, 200)}`}`);
    }
  };
}

/** Threads go where the command was typed, unless that is a DM and a deploy channel is configured. */
export function changeChannel(channelId: string, config: Config): string {
  return config.channel && channelId.startsWith('D') ? config.channel : channelId;
}
