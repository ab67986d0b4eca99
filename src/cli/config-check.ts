/** `config check [--aws]`: parse and validate the config; with --aws, look the resources up read-only. */
import type { Command } from 'commander';
import { listServices } from '../config/load';
import type { NamedService } from '../config/schema';
import { describeError } from '../errors';
import type { ResourceCheck } from '../aws/index';
import type { CliContext, CommandResult } from './context';
import { createStyle } from './format-common';
import { formatResourceCheck, formatService } from './format-config';
import { colorEnabled } from './io';
import { answer, verbAction } from './verb';


export function registerConfigCheck(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('work with the configuration');
  config
    .command('check')
    .description('validate the config and print the services (exit 2 listing every problem)')
    .option('--aws', 'also check, read-only, that each service’s AWS resources exist and are readable')
    .action(verbAction(ctx, (_args, options, cmd) => runConfigCheck(ctx, cmd, Boolean(options.aws))));
}

/** @throws CodedError `invalid_config` (exit 2) listing every problem. */
export async function runConfigCheck(ctx: CliContext, cmd: Command, aws: boolean): Promise<CommandResult> {
  const path = ctx.configPath(cmd);
  const services = listServices(ctx.config(cmd));
  const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
  const lines = [`${path}: ok, ${services.length} service${services.length === 1 ? '' : 's'}`];
  const checks: Record<string, ResourceCheck[]> = {};
  const problems: string[] = [];
  for (const service of services) {
    lines.push(...formatService(service, style));
    if (!aws) continue;
    checks[service.name] = await verifyService(service);
    for (const check of checks[service.name]) {
      // A warning is not a problem: the tool works with less (the detail says how).
      lines.push(check.warning ? `    ${style.yellow('!')} ${check.resource} ${check.name}  ${check.detail}` : formatResourceCheck(check, style));
      if (!check.ok) problems.push(`services.${service.name}: ${check.resource} ${check.name}: ${check.detail || 'not found'}`);
    }
  }
  const data = { configPath: path, services, ...(aws ? { aws: checks } : {}) };
  if (problems.length === 0) return answer(data, lines);
  const message = `${problems.length} AWS resource problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`;
  ctx.io.stderr.write(`ecs-chatops: ${message}\n`);
  return {
    exitCode: 2,
    json: { ok: false, outcome: 'invalid', exitCode: 2, error: { code: 'invalid_config', message, issues: problems }, ...data },
    text: lines.join('\n'),
  };
}

/** The read-only checks of one service; a check that throws is itself a problem. */
async function verifyService(service: NamedService): Promise<ResourceCheck[]> {
  try {
    const { verifyAwsResources } = await import('../aws/index');
    return await verifyAwsResources(service);
  } catch (e) {
    return [{ resource: 'aws', name: service.name, ok: false, detail: describeError(e) }];
  }
}
