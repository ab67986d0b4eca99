/** Registers the Events API listeners. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { registerAppHomeOpened } from './app-home-opened';

export function register(app: App, deps: SlackDeps): void {
  registerAppHomeOpened(app, deps);
}
