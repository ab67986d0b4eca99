/**
 * Builds the Bolt app: HTTP mode (signed requests on PORT, `/healthz` beside them) or Socket Mode
 * when an app token is set. Listeners are registered by the caller.
 */
import type { AuthorizeResult, Receiver } from '@slack/bolt';
// Bolt's App and HTTP receiver from their own modules: its index also loads Express and Socket Mode
// (about 7 MB), which HTTP mode never uses. Socket Mode's receiver is loaded only when asked for.
import App from '@slack/bolt/dist/App';
import type SocketModeReceiverType from '@slack/bolt/dist/receivers/SocketModeReceiver';
import { CodedError, ErrorCodes, describeError } from '../errors';
import type { Logger } from '../logger';
import type { BotClient } from './bot-client';
import { healthHandler, type HealthSources } from './health';
import { GuardedHTTPReceiver, skipRedeliveries } from './replay-guard';
import { isAuthError, normaliseApiUrl, SHORT_RETRY, slackErrorCode, toSlackLogger } from './slack-client';
import type { SlackEnv } from './slack-env';
import type { AuditLog } from './refusals';
import { onlyHomeWorkspace } from './workspace';

export interface BuiltApp {
  app: App;
  mode: 'http' | 'socket';
}

export interface BuildAppOptions {
  env: SlackEnv;
  logger: Logger;
  health: HealthSources;
  identity: BotIdentitySource;
  /** Config `slack.teamId`: the installed workspace (learned from `auth.test` when unset). */
  teamIds?: readonly string[];
  /** Where refused requests from other workspaces are audited. */
  audit: AuditLog;
}

export function buildSlackApp(options: BuildAppOptions): BuiltApp {
  const { env, logger } = options;
  const app = new App({
    receiver: receiverFor(options),
    // Our own authorize: Bolt would otherwise call auth.test on every request or fail hard at start.
    authorize: async (): Promise<AuthorizeResult> => ({ botToken: env.botToken, ...(await options.identity.get()) }),
    clientOptions: { slackApiUrl: normaliseApiUrl(env.apiUrl), retryConfig: SHORT_RETRY },
    logger: toSlackLogger(logger),
    // Nothing here reads conversation state; Bolt's default in-memory store only costs memory.
    convoStore: false,
  });
  // Before every listener: a request delivered before (a replay, a retry) stops here.
  app.use(skipRedeliveries(logger));
  // Then: another workspace's request is refused, whatever it asks, reads included.
  app.use(
    onlyHomeWorkspace({ configured: options.teamIds, identity: options.identity, engine: options.audit, logger }),
  );
  app.error((error) => {
    logger.error({ err: describeError(error) }, 'unhandled Slack listener error');
    return Promise.resolve();
  });
  return { app, mode: env.appToken ? 'socket' : 'http' };
}

/** Socket Mode when an app token is set, otherwise signed HTTP requests on PORT with `/healthz` beside them. */
function receiverFor(options: BuildAppOptions): Receiver {
  const { env, logger } = options;
  const slackLogger = toSlackLogger(logger);
  if (env.appToken) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only in Socket Mode: it brings ~7 MB HTTP mode never uses
    const { default: SocketModeReceiver } = require('@slack/bolt/dist/receivers/SocketModeReceiver') as {
      default: typeof SocketModeReceiverType;
    };
    return new SocketModeReceiver({
      appToken: env.appToken,
      logger: slackLogger,
      // apps.connections.open goes to SLACK_API_URL too.
      installerOptions: { clientOptions: { slackApiUrl: normaliseApiUrl(env.apiUrl) } },
    });
  }
  // readSlackEnv refuses an environment with neither an app token nor a signing secret.
  if (!env.signingSecret) throw new CodedError(ErrorCodes.invalidConfig, 'SLACK_SIGNING_SECRET is not set');
  return new GuardedHTTPReceiver(
    {
      signingSecret: env.signingSecret,
      logger: slackLogger,
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: healthHandler(options.health) }],
    },
    { logger },
  );
}

export interface BotIdentity {
  botId?: string;
  botUserId?: string;
  teamId?: string;
  /** Set for an organisation-wide (Enterprise Grid) install: every workspace of the organisation is home. */
  enterpriseId?: string;
}

/** The bot's identity from `auth.test`, fetched once and fetched again only after a failure. */
export class BotIdentitySource {
  private cached: BotIdentity | null = null;

  constructor(
    private readonly client: BotClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Checks the token at start-up.
   * @throws CodedError `invalid_config` when Slack rejects SLACK_BOT_TOKEN; an unreachable Slack is only logged.
   */
  async verify(): Promise<void> {
    try {
      await this.fetch();
    } catch (e) {
      if (isAuthError(e))
        throw new CodedError(ErrorCodes.invalidConfig, `SLACK_BOT_TOKEN was rejected by Slack (${slackErrorCode(e)})`, {
          cause: e,
        });
      this.logger.warn({ err: slackErrorCode(e) }, 'Slack is not reachable yet; starting anyway');
    }
  }

  /** Never throws: an unknown identity only means Bolt cannot ignore the bot's own events. */
  async get(): Promise<BotIdentity> {
    if (this.cached) return this.cached;
    try {
      return await this.fetch();
    } catch {
      // verify() logged at start-up why Slack could not answer; here the next call simply asks again.
      return {};
    }
  }

  private async fetch(): Promise<BotIdentity> {
    const r = await this.client.auth.test();
    const orgWide = r.is_enterprise_install === true || !r.team_id;
    this.cached = {
      botId: r.bot_id,
      botUserId: r.user_id,
      teamId: r.team_id,
      ...(orgWide && r.enterprise_id ? { enterpriseId: r.enterprise_id } : {}),
    };
    return this.cached;
  }
}
