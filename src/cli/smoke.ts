/** `smoke <service> [--expect-sha SHA]`: the smoke tests alone, as a table. */
import type { Command } from 'commander';
import { formatDuration } from '../config/duration';
import { getService } from '../config/load';
import { renderSmokeTable } from '../smoke/render-table';
import type { CliContext } from './context';
import { colorEnabled } from './io';
import { checkSha, checkToken } from './validate';
import { answer, verbAction } from './verb';

export function registerSmoke(program: Command, ctx: CliContext): void {
  program
    .command('smoke')
    .description('run the smoke tests against the service (exit 1 when a fail-severity check fails)')
    .argument('<service>', 'service name from the config')
    .option('--expect-sha <sha>', 'git SHA the version endpoint must report')
    .action(
      verbAction(ctx, async ([service], options, cmd) => {
        checkToken('service', service);
        const expectSha =
          typeof options.expectSha === 'string' ? checkSha(options.expectSha, '--expect-sha') : undefined;
        getService(ctx.config(cmd), service);
        const { engine } = await ctx.runtime(cmd);
        const run = await engine.smoke(service, expectSha);
        const table = renderSmokeTable(run.results, { color: colorEnabled(ctx.io.stdout, ctx.io.env) });
        const verdict = run.passed ? 'smoke tests passed' : 'smoke tests FAILED';
        return answer({ service, ...run }, [table, `${verdict} in ${formatDuration(run.ms)}`], run.passed ? 0 : 1);
      }),
    );
}
