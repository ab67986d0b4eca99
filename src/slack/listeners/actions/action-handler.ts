/** What every button does around its own work: ack, refuse during shutdown, answer the clicker ephemerally. */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  RespondArguments,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { describeError, isCodedError } from '../../../errors';
import type { Actor } from '../../../engine/types';
import type { AccessAction } from '../../auth';
import { SHUTTING_DOWN, slackActor, type Reply, type ReadEngine, type SlackDeps } from '../../deps';
import { recordRefusal } from '../../refusals';
import type { MessageRef } from '../../slack-outbox';
import { asBlocks, context, type SlackBlock } from '../../views/blocks';

export interface ActionContext {
  actor: Actor;
  value: string;
  /** The message that carried the button (null for ephemeral ones). */
  message: MessageRef | null;
  channel: string | null;
  reply: Reply;
  /** Replaces the clicked message's buttons (and the blocks named in `alsoRemove`) with a line saying who did what. */
  markDone(text: string, alsoRemove?: string[]): Promise<void>;
  /** Sets a context line with id `blockId` on the clicked message, keeping its buttons (updated in place). */
  annotate(blockId: string, text: string): Promise<void>;
  /** Refuses with a reason (audited) unless the clicker may do `action` (on `service`); true when allowed. */
  authorise(action: AccessAction, service?: string): Promise<boolean>;
  /** Refuses the click (a forged or stale value, a busy service…): audited, logged, `text` told to the clicker. */
  refuse(what: string, service: string | null, why: string, text: string): Promise<void>;
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function actionHandler(deps: SlackDeps<ReadEngine>, work: (ctx: ActionContext) => Promise<void>) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const send = async (args: RespondArguments): Promise<void> => {
      try {
        await respond(args);
      } catch (e) {
        deps.logger.warn({ err: describeError(e) }, 'cannot answer the click');
      }
    };
    const reply: Reply = (text) => send({ response_type: 'ephemeral', replace_original: false, text });
    if (!deps.lifecycle.accepting) return reply(SHUTTING_DOWN);
    const actor = slackActor(body.user);
    const { channel, message } = clickOrigin(body);
    /** Replaces the clicked message in place (through `respond` for an ephemeral one). */
    const update = async (text: string, blocks: SlackBlock[]): Promise<void> => {
      if (!message) return send({ replace_original: true, text, blocks: asBlocks(blocks) });
      try {
        await deps.client.chat.update({ channel: message.channel, ts: message.ts, text, blocks: asBlocks(blocks) });
      } catch (e) {
        deps.logger.warn({ err: describeError(e) }, 'cannot update the clicked message');
      }
    };
    const ctx: ActionContext = {
      actor,
      value: action.value ?? '',
      message,
      channel,
      reply,
      markDone: async (text, alsoRemove = []) => {
        const blocks = ((body.message?.blocks ?? []) as SlackBlock[]).filter(
          (b) => b.block_id !== action.block_id && !(typeof b.block_id === 'string' && alsoRemove.includes(b.block_id)),
        );
        blocks.push(context([text]));
        await update(text, blocks);
      },
      annotate: async (blockId, text) => {
        const blocks = ((body.message?.blocks ?? []) as SlackBlock[]).filter((b) => b.block_id !== blockId);
        blocks.push({ ...context([text]), block_id: blockId });
        await update(text, blocks);
      },
      authorise: async (what, service) => {
        const decision = await deps.auth.check(actor.id, what, service);
        if (!decision.allowed)
          await ctx.refuse(what, service ?? null, decision.reason, `:no_entry: ${decision.reason}. Nothing was done.`);
        return decision.allowed;
      },
      refuse: async (what, service, why, text) => {
        await recordRefusal(deps, {
          actor,
          what,
          service,
          why,
          where: 'button',
          details: { actionId: action.action_id, value: action.value?.slice(0, 200) ?? '' },
        });
        await reply(text);
      },
    };
    try {
      await work(ctx);
    } catch (e) {
      deps.logger.error({ err: e, action: action.action_id, user: actor.id }, 'button failed');
      await reply(`:x: ${isCodedError(e) ? describeError(e) : `unexpected error: ${describeError(e, 200)}`}`);
    }
  };
}

/** Where the click came from. Slack types the container loosely (`any`), so its fields are checked here. */
function clickOrigin(body: BlockAction<ButtonAction>): { channel: string | null; message: MessageRef | null } {
  const container = body.container as { channel_id?: unknown; is_ephemeral?: unknown } | undefined;
  const channel = body.channel?.id ?? (typeof container?.channel_id === 'string' ? container.channel_id : null);
  const ephemeral = container?.is_ephemeral === true;
  const ts = body.message?.ts;
  return { channel, message: !ephemeral && channel && ts ? { channel, ts } : null };
}

/** The message's blocks without the actions block that held the clicked button. */
export function withoutBlock(blocks: SlackBlock[], blockId: string): SlackBlock[] {
  return blocks.filter((b) => b.block_id !== blockId);
}
