/**
 * `promote <service>`: answers our deployment paused at a PAUSE hook with CONTINUE (production
 * traffic moves to green). `rollback <service>` on a paused deployment answers ROLLBACK through
 * the same path. Works from any terminal: the change that follows the deployment (the bot, or a
 * `deploy` waiting in another terminal) sees the answer on its next read. Audited with the OS user.
 */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { PauseAnswerRequest, PromotionResult } from '../engine/api';
import type { CliContext, CommandResult } from './context';
import { classifyError, errorBody } from './errors';
import { PROGRAM_NAME, writeLine } from './io';
import { checkToken } from './validate';
import { verbAction } from './verb';

export function registerPromote(program: Command, ctx: CliContext): void {
  program
    .command('promote')
    .description('shift production traffic of a paused blue/green, linear or canary deploy to the new release')
    .argument('<service>', 'service name from the config')
    .action(verbAction(ctx, ([service], _options, cmd) => answerPause(ctx, cmd, service, 'CONTINUE'), true));
}

/**
 * Answers the pause `seen` names (its change and hook; without it, whatever of ours waits now).
 * Exit 0 when ECS took the answer; 4 when refused (nothing paused, not ours, moved on); a thrown
 * error ends it as any verb's does (2 for bad input, config or the store, 3 when unexpected). Never throws.
 */
export async function answerPause(
  ctx: CliContext,
  cmd: Command,
  service: string,
  action: 'CONTINUE' | 'ROLLBACK',
  seen?: Pick<PauseAnswerRequest, 'changeId' | 'hookId'>,
): Promise<CommandResult> {
  let result: PromotionResult;
  try {
    checkToken('service', service);
    getService(ctx.config(cmd), service);
    const runtime = await ctx.runtime(cmd);
    const request: PauseAnswerRequest = { service, actor: ctx.actor(), ...seen };
    result =
      action === 'CONTINUE' ? await runtime.engine.promote(request) : await runtime.engine.rollbackPaused(request);
  } catch (error) {
    const { outcome, exitCode } = classifyError(error, ctx.changing);
    const body = errorBody(error);
    // As every verb's thrown error: the message on stderr; with --json the object (naming service and action) on stdout.
    writeLine(ctx.io.stderr, `${PROGRAM_NAME}: ${body.message}`);
    return { exitCode, json: { ok: false, outcome, exitCode, service, action, error: body } };
  }
  const exitCode = result.ok ? 0 : 4;
  const error = result.ok ? null : { code: result.code, message: result.message };
  return {
    exitCode,
    json: {
      ok: result.ok,
      exitCode,
      service,
      action,
      ...(result.ok ? { changeId: result.changeId, hookId: result.hookId } : {}),
      error,
    },
    text: result.message,
  };
}
