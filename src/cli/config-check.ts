/** `config check [--aws]`: parse and validate the config; with --aws, look the resources up read-only. */
import type { Command } from 'commander';
import { listServices } from '../config/load';
import type { ResourceCheck } from '../aws/index';
import type { NamedService } from '../config/schema';
import { describeError } from '../errors';
import type { CliContext, CommandResult } from './context';
import { createStyle } from './format-common';
import { formatResourceCheck, formatService } from './format-config';
import { colorEnabled } from './io';
import { answer, verbAction } from './verb';
import { describeStoreSpec, storeSpecFor, type StoreSpec } from '../store/open-store';

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
    lines.push(...formatService(service, style, ctx.config(cmd).freezes));
    if (!aws) continue;
    checks[service.name] = await verifyService(ctx, service);
    for (const check of checks[service.name]) {
      lines.push(formatResourceCheck(check, style));
      if (!check.ok)
        problems.push(`services.${service.name}: ${check.resource} ${check.name}: ${check.detail || 'not found'}`);
    }
  }
  const store = storeSpecFor(ctx.config(cmd), ctx.io.env);
  lines.push(
    `${style.bold('store')}  ${describeStoreSpec(store)}${store.kind === 'dynamodb' ? ` (${store.region ?? 'the SDK region'})` : ''}`,
  );
  const storeChecks = aws ? await verifyStore(ctx, store) : [];
  for (const check of storeChecks) {
    lines.push(formatResourceCheck(check, style));
    if (!check.ok) problems.push(`store: ${check.resource} ${check.name}: ${check.detail}`);
  }
  const data = {
    configPath: path,
    services,
    store: describeStoreSpec(store),
    ...(aws ? { aws: checks, storeChecks } : {}),
  };
  if (problems.length === 0) return answer(data, lines);
  const message = `${problems.length} AWS resource problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`;
  ctx.io.stderr.write(`ecs-chatops: ${message}\n`);
  return {
    exitCode: 2,
    json: {
      ok: false,
      outcome: 'invalid',
      exitCode: 2,
      error: { code: 'invalid_config', message, issues: problems },
      ...data,
    },
    text: lines.join('\n'),
  };
}

/** The read-only checks of one service; a check that throws is itself a problem. */
async function verifyService(ctx: CliContext, service: NamedService): Promise<ResourceCheck[]> {
  try {
    return await ctx.services.checkAwsResources(service, ctx.io.env);
  } catch (e) {
    return [{ resource: 'aws', name: service.name, ok: false, detail: describeError(e) }];
  }
}

/** The store's own checks; a check that throws is itself a problem. */
async function verifyStore(ctx: CliContext, store: StoreSpec): Promise<ResourceCheck[]> {
  try {
    return await ctx.services.checkStore(store);
  } catch (e) {
    return [{ resource: 'store', name: describeStoreSpec(store), ok: false, detail: describeError(e) }];
  }
}
