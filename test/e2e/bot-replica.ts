/**
 * The Slack bot as a deployment runs it: `ecs-chatops serve` in its own process (HTTP mode) on
 * the e2e world's config and environment, talking to a fake Slack Web API, and Slack's signed
 * slash commands and button clicks sent to it.
 */
import { waitFor } from '../slack/helpers/harness';
import type { FakeSlack, SlackCall } from '../slack/helpers/fake-slack';
import { actionBody, commandBody, postSigned, SIGNING_SECRET } from '../slack/helpers/signed-requests';
import type { CliChild, E2eWorld } from './helpers';

/** A replica lives for the whole test; a hung one is still killed in the end. */
const SERVE_DEADLINE_MS = 180_000;

/** How long a replica may take to start and answer /healthz on a loaded machine. */
const READY_MS = 30_000;

export interface BotReplica {
  name: string;
  port: number;
  process: CliChild;
  /** Sends `/command text` as `user`; resolves to the id of its response_url (see `answersTo`). */
  command(command: string, text: string, user: string): Promise<string>;
  /** Clicks a button of the message `messageTs` as `user`; resolves to the id of its response_url. */
  click(
    user: string,
    button: { action_id: string; value: string; block_id: string },
    messageTs: string,
  ): Promise<string>;
  /** SIGKILLs the process and waits until it is gone. */
  kill(): Promise<void>;
}

let responses = 0;

/** What the bot sent to the response_url of one command or click. */
export function answersTo(slack: FakeSlack, responseId: string): SlackCall[] {
  return slack.responses().filter((c) => c.body.__id === responseId);
}

/** The port from serve's `ecs-chatops is serving` log line, once written. */
function servingPort(stderr: string): number | undefined {
  for (const line of stderr.split('\n')) {
    if (!line.includes('ecs-chatops is serving')) continue;
    const port = (JSON.parse(line) as { port?: unknown }).port;
    if (typeof port === 'number') return port;
  }
  return undefined;
}

/**
 * Starts `ecs-chatops serve` on a free port, its Slack calls going to `slack`, and resolves once
 * its /healthz answers 200.
 * @throws Error when the process exits or is not healthy in time.
 */
export async function startReplica(e: E2eWorld, slack: FakeSlack, name: string): Promise<BotReplica> {
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-e2e',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: '0',
    SLACK_API_URL: slack.apiUrl,
  };
  const child = e.start(['serve'], { env, deadlineMs: SERVE_DEADLINE_MS });
  let exited = false;
  void child.done.then(() => (exited = true));
  const port = await waitFor(
    () => {
      if (exited) throw new Error(`replica ${name} exited before serving:\n${child.stderr().slice(-2000)}`);
      return servingPort(child.stderr());
    },
    READY_MS,
    `replica ${name} to serve`,
  );
  await waitFor(
    async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200,
    READY_MS,
    `replica ${name} to be healthy`,
  );
  const post = async (body: string): Promise<void> => {
    const res = await postSigned(port, body, 'application/x-www-form-urlencoded');
    if (res.status !== 200) throw new Error(`replica ${name} answered ${res.status}: ${res.text.slice(0, 200)}`);
  };
  return {
    name,
    port,
    process: child,
    async command(command, text, user) {
      const id = `${name}-${++responses}`;
      await post(
        commandBody({ command, text, user_id: user, channel_id: 'CDEPLOYS', response_url: slack.responseUrl(id) }),
      );
      return id;
    },
    async click(user, button, messageTs) {
      const id = `${name}-${++responses}`;
      await post(
        actionBody({
          actionId: button.action_id,
          value: button.value,
          blockId: button.block_id,
          userId: user,
          channelId: 'CDEPLOYS',
          messageTs,
          responseUrl: slack.responseUrl(id),
        }),
      );
      return id;
    },
    async kill() {
      child.child.kill('SIGKILL');
      await child.done;
    },
  };
}
