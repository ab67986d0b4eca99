/**
 * The Home tab: the status of every service the person may read, each fetched with a short
 * timeout so one slow service cannot blank it. Services they may not read are not mentioned.
 */
import type { App } from '@slack/bolt';
import { describeError } from '../../../errors';
import { slackActor, type ReadEngine, type SlackDeps } from '../../deps';
import { recordRefusal } from '../../refusals';
import { section } from '../../views/blocks';
import { homeView, type HomeDelivery, type HomeEntry } from '../../views/home';
import { withTimeout } from '../../with-timeout';

export function registerAppHomeOpened(app: App, deps: SlackDeps<ReadEngine>): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    const readable = await deps.auth.readable(
      event.user,
      deps.engine.services.map((s) => s.name),
    );
    let view;
    if (readable.length) {
      const [entries, delivery] = await Promise.all([homeEntries(deps, readable), homeDelivery(deps, readable)]);
      view = homeView(entries, Date.now(), delivery);
    } else {
      const why = (await deps.auth.check(event.user, 'read')).allowed
        ? 'you may not read any service'
        : 'you are not allowed to read';
      await recordRefusal(deps, {
        actor: slackActor({ id: event.user }),
        what: 'read',
        service: null,
        why,
        where: 'home',
      });
      view = { type: 'home' as const, blocks: [section(`:no_entry: ${why}.`)] };
    }
    try {
      await deps.client.views.publish({ user_id: event.user, view });
    } catch (e) {
      deps.logger.warn({ err: describeError(e) }, 'cannot publish the Home tab');
    }
  });
}

export async function homeEntries(deps: SlackDeps<ReadEngine>, services: string[]): Promise<HomeEntry[]> {
  return Promise.all(
    services.map(async (service): Promise<HomeEntry> => {
      try {
        // Shared with /status: a burst of Home openings costs AWS one read per service.
        return { service, status: await withTimeout(deps.statuses.get(service), deps.homeStatusTimeoutMs) };
      } catch (e) {
        // Not swallowed: the Home tab shows this service's error in place of its status.
        return { service, error: describeError(e, 200) };
      }
    }),
  );
}

/** Weeks of delivery metrics on the Home tab. */
export const HOME_METRICS_WEEKS = 4;

/** The delivery measures of the services the person may read, within the Home tab's wait. */
async function homeDelivery(deps: SlackDeps<ReadEngine>, services: string[]): Promise<HomeDelivery> {
  try {
    return await withTimeout(
      deps.engine.deliveryMetrics({ services, weeks: HOME_METRICS_WEEKS }),
      deps.homeStatusTimeoutMs,
    );
  } catch (e) {
    // Not swallowed: the Home tab shows the reason in place of the measures.
    deps.logger.warn({ err: e }, 'cannot read delivery metrics for the Home tab');
    return { error: describeError(e, 200) };
  }
}
