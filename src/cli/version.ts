/** `version <service>`: the version endpoint beside what ECS runs. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { CliContext } from './context';
import { createStyle } from './format-common';
import { formatVersion } from './format-version';
import { colorEnabled } from './io';
import { checkToken } from './validate';
import { answer, verbAction } from './verb';

export function registerVersion(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .description("what the service's version endpoint reports beside what ECS runs, and whether they agree")
    .argument('<service>', 'service name from the config')
    .action(
      verbAction(ctx, async ([service], _options, cmd) => {
        checkToken('service', service);
        getService(ctx.config(cmd), service);
        const { engine } = await ctx.runtime(cmd);
        const report = await engine.version(service);
        const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
        return answer({ ...report }, formatVersion(report, style));
      }),
    );
}
