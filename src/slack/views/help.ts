/** Usage of every slash command, shown on `help` and on malformed input. */
import { message, section, type SlackMessage } from './blocks';

interface CommandUsage {
  usage: string;
  does: string;
}

/** By command name; Slack may send a command this table lacks, so a lookup can miss. */
export const COMMAND_USAGE: Partial<Record<string, CommandUsage>> = {
  '/deploy': {
    usage: '/deploy <service> <git-sha> [--skip-smoke] [--dry-run] [force] | /deploy <service> from <source> [force]',
    does: 'deploy the image CI pushed for that commit (or promote the exact image the source runs), watch it, verify it, roll back on failure; `force` asks a second person to override a freeze or an unverified promotion',
  },
  '/rollback': {
    usage: '/rollback <service> [revision | git-sha]',
    does: 'without a target, pick from recent releases; with one, roll back to it',
  },
  '/status': {
    usage: '/status <service>',
    does: 'counts, deployments, revision and digest, target health, recent events',
  },
  '/version': { usage: '/version <service>', does: 'what the version endpoint says beside what ECS runs' },
  '/smoke': { usage: '/smoke <service> [git-sha]', does: 'run the smoke tests alone' },
  '/logs': {
    usage: '/logs <service> [30m] [pattern]  ·  /logs <service> follow [5m] [pattern]',
    does: 'recent matching log lines (default: errors in the last 30 minutes), or new ones in a thread as they arrive (at most 15m)',
  },
  '/emergency-stop': {
    usage: '/emergency-stop <service> <reason>',
    does: 'ask for approval to set the desired count to 0',
  },
  '/restart': {
    usage: '/restart <service> [count]',
    does: 'restore the desired count kept by a stop (or the given one)',
  },
  '/deploys': {
    usage: '/deploys [service] | /deploys stats [service] [weeks]',
    does: 'recent deploy history, or delivery metrics (DORA) over the last weeks (default 8, at most 52)',
  },
  '/freeze': {
    usage: '/freeze <service|all> <duration> <reason>',
    does: 'refuse deploys for a while (e.g. `/freeze backend 2h incident INC-42`); rollbacks, stops and restarts go through',
  },
  '/unfreeze': {
    usage: '/unfreeze <service|all>',
    does: 'lift a freeze set with /freeze (windows in the config stay)',
  },
};

/** Usage of one command, with an optional line saying what was wrong. */
export function usageView(command: string, problem?: string, services: string[] = []): SlackMessage {
  const entry = COMMAND_USAGE[command];
  const lines: string[] = [];
  if (problem) lines.push(`:warning: ${problem}`);
  lines.push(entry ? `Usage: \`${entry.usage}\`\n${entry.does}` : `Unknown command ${command}`);
  if (services.length) lines.push(`Services: ${services.map((s) => `\`${s}\``).join(', ')}`);
  const text = lines.join('\n');
  return message(text, [section(text)]);
}
