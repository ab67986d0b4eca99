/** The glue between commander and a verb: global options, the result, and read-only answers. */
import type { Command } from 'commander';
import type { CliContext, CommandResult } from './context';

export type VerbHandler = (args: string[], options: Record<string, unknown>, cmd: Command) => Promise<CommandResult>;

/**
 * A commander action that runs `handler` and keeps its result for `main` to print.
 * `changing` marks verbs that change a service (an unexpected error then exits 3, not 1).
 */
export function verbAction(ctx: CliContext, handler: VerbHandler, changing = false) {
  return async (...all: unknown[]): Promise<void> => {
    const cmd = all[all.length - 1] as Command;
    const options = (all[all.length - 2] ?? {}) as Record<string, unknown>;
    const args = all.slice(0, -2) as string[];
    ctx.json = ctx.globals(cmd).json;
    ctx.changing = changing;
    ctx.result = await handler(args, options, cmd);
  };
}

/** A successful read-only answer: `{ ok: true, exitCode: 0, error: null, ...data }`. */
export function answer(data: Record<string, unknown>, lines: string[], exitCode = 0): CommandResult {
  return { exitCode, json: { ok: exitCode === 0, exitCode, error: null, ...data }, text: lines.join('\n') };
}
