/** The Home tab: every service's status, each fetched with a short timeout so one slow service cannot blank it. */
import type { App } from '@slack/bolt';
import { describeError } from '../../../errors';
import type { SlackDeps } from '../../deps';
import { section } from '../../views/blocks';
import { homeView, type HomeEntry } from '../../views/home';

export function registerAppHomeOpened(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    const allowed = await deps.auth.check(event.user, 'read');
    const view = allowed.allowed ? homeView(await homeEntries(deps), Date.now()) : { type: 'home' as const, blocks: [section(`:no_entry: ${allowed.reason}.`)] };
    try {
      await deps.client.views.publish({ user_id: event.user, view });
    } catch (e) {
      deps.logger.warn({ err: describeError(e) }, 'cannot publish the Home tab');
    }
  });
}

export async function homeEntries(deps: SlackDeps): Promise<HomeEntry[]> {
  return Promise.all(
    deps.engine.services.map(async (svc): Promise<HomeEntry> => {
      try {
        return { service: svc.name, status: await withTimeout(deps.engine.status(svc.name), deps.homeStatusTimeoutMs) };
      } catch (e) {
        return { service: svc.name, error: describeError(e, 200) };
      }
    }),
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
