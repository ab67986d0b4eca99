/**
 * The composition root: the one place that builds real adapters, the store, the engine, the
 * Slack client and the authoriser, and hands verbs and the bot ready objects. Each part is
 * loaded when first asked for, so help, bad input and `config check` start fast and never
 * load the AWS SDK or Slack.
 */
import type { AppServices } from '../cli/context';
import { leaseTiming } from './lease-env';

export function createServices(): AppServices {
  return {
    createRuntime: async (options) => (await import('./runtime')).createRuntime(options),
    checkAwsResources: async (service, env) => (await import('./aws-checks')).checkAwsResources(service, env),
    checkStore: async (spec) => (await import('./aws-checks')).checkStore(spec),
    openSlackThread: async (settings, deps) => (await import('./slack')).openSlackThread(settings, deps),
    startSlackBot: async ({ runtime, logger, env, drainTimeoutMs, recover }) => {
      const { startSlackBot } = await import('./slack');
      const { engine, config, store } = runtime;
      return startSlackBot({
        engine,
        config,
        logger,
        env,
        store,
        drainTimeoutMs,
        recover,
        recoverEveryMs: leaseTiming(env).leaseRenewMs,
      });
    },
  };
}
