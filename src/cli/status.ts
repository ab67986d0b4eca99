/** `status <service>`: what the service runs and how it is doing. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { CliContext } from './context';
import { createStyle } from './format-common';
import { formatStatus } from './format-status';
import { colorEnabled } from './io';
import { checkToken } from './validate';
import { answer, verbAction } from './verb';

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('running/desired, deployments and rollout state, revision, image digest, target health, recent events')
    .argument('<service>', 'service name from the config')
    .action(
      verbAction(ctx, async ([service], _options, cmd) => {
        checkToken('service', service);
        getService(ctx.config(cmd), service);
        const { engine } = await ctx.runtime(cmd);
        const status = await engine.status(service);
        const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
        return answer({ ...status }, formatStatus(status, style));
      }),
    );
}
