/**
 * `recover`: resumes the changes a stopped process left running (a killed CLI, a crashed bot):
 * keeps watching each, verifies it or rolls it back; a change that had not touched the service yet
 * is marked interrupted. `serve` does the same by itself when it starts.
 */
import type { Command } from 'commander';
import { exitCodeFor } from '../engine/model';
import type { CliContext } from './context';
import { createTerminalReporter } from './terminal-reporter';
import { answer, verbAction } from './verb';

export function registerRecover(program: Command, ctx: CliContext): void {
  program
    .command('recover')
    .description('resume changes whose process stopped, once their lease ran out (verify them or roll them back)')
    .action(
      verbAction(ctx, async (_args, _options, cmd) => {
        const { engine } = await ctx.runtime(cmd);
        const reporter = createTerminalReporter(ctx.io.stderr, ctx.io.env);
        let results;
        try {
          results = await engine.recover((event) => reporter.onEvent(event));
        } finally {
          reporter.close();
        }
        for (const r of results) reporter.printSummary(r);
        const exitCode = Math.max(0, ...results.map((r) => exitCodeFor(r.outcome)));
        const lines = results.length
          ? []
          : ['nothing to resume or record: no change was left by a process whose lease ran out'];
        return answer({ resumed: results }, lines, exitCode);
      }),
    );
}
