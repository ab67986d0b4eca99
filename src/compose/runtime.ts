/**
 * The real engine: config → AWS adapters → store → HTTP checks → report sink → Engine.
 * Loaded on demand by the composition root, so commands that need none of it start fast.
 */
import { createAwsAdapters, createAwsClients } from '../aws/index';
import type { Runtime, RuntimeOptions } from '../cli/context';
import { loadConfig } from '../config/load';
import { Engine } from '../engine/engine';
import { createGitHubChanges } from '../github/index';
import { FileReportSink, reportOnFinish } from '../report/index';
import { createHttpChecks } from '../smoke/index';
import { openStoreFromSpec, storeSpecFor } from '../store/open-store';
import { leaseTiming } from './lease-env';

/**
 * Builds the engine over real adapters, from the injected environment.
 * @throws CodedError `invalid_config` for a bad config, `store_error` when the store cannot be opened.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const config = options.config ?? loadConfig(options.configPath);
  const clients = createAwsClients(options.env);
  const aws = createAwsAdapters({ logger: options.logger, clients });
  const store = await openStoreFromSpec(storeSpecFor(config, options.env));
  const engine = new Engine({
    config,
    ...aws,
    http: createHttpChecks({ logger: options.logger, env: options.env }),
    store,
    changes: createGitHubChanges({ env: options.env, logger: options.logger }),
    onFinished: [reportOnFinish({ store, sink: new FileReportSink(config.reportsDir), logger: options.logger })],
    logger: options.logger,
    ...leaseTiming(options.env),
  });
  return {
    config,
    engine,
    store,
    async close() {
      await store.close();
      // Closes the SDK clients' sockets.
      clients.destroy();
    },
  };
}
