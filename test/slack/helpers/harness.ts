/** The bot started for real (Bolt's HTTP receiver on an ephemeral port) against a fake Slack and an engine. */
import { parseConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/schema';
import { createLogger, silentLogger, type Logger } from '../../../src/logger';
import { ChannelPacer } from '../../../src/slack/channel-pacer';
import { startSlackBot, type SlackBotOptions } from '../../../src/compose/slack';
import type { SlackBot } from '../../../src/slack';
import type { SlackEngine } from '../../../src/slack/deps';
import { FakeEngine } from '../fake-engine';
import { FakeSlack } from './fake-slack';
import {
  actionBody,
  commandBody,
  eventBody,
  postSigned,
  SIGNING_SECRET,
  type ClickFields,
  type PostOptions,
} from './signed-requests';
import type { JsonDoc } from '../../json';

export const CONFIG_YAML = `
region: us-east-1
access:
  deploy: [S0PLATFORM, UDEPLOYER]
  rollback: [S0PLATFORM, UDEPLOYER]
  stop: [UONCALL, ULEAD1]
  restart: [UONCALL]
  approve: [S0LEADS]
services:
  backend:
    cluster: prod
    service: backend-svc
    container: backend
    ecrRepository: backend
    repositoryUrl: https://github.com/example/backend
    targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend-tg/0123456789abcdef
    logGroup: /ecs/backend-prod
    baseUrl: https://api.example.com
    timeouts: { approval: 10m }
  web:
    cluster: prod
    service: web-svc
    container: web
    ecrRepository: web
    requireApproval: [deploy]
`;

export const USERS = {
  deployer: 'UDEPLOYER',
  platform: 'UPLAT1',
  oncall: 'UONCALL',
  lead1: 'ULEAD1',
  lead2: 'ULEAD2',
  nobody: 'UNOBODY',
};

export interface HarnessOptions {
  configYaml?: string;
  /** Another engine (the tests' own test engine); by default the real engine on fake ports of `FakeEngine`. */
  engine?: (config: Config) => SlackEngine;
  /** Real milliseconds every engine sleep takes too (a slower change). */
  paceMs?: number;
  bot?: Partial<SlackBotOptions>;
}

export interface Harness {
  slack: FakeSlack;
  engine: SlackEngine;
  fake: FakeEngine | null;
  /** The stored reports the bot reads, by change id (or `d-N`, see `FakeEngine.change`). */
  reports: Map<string, string>;
  config: Config;
  bot: SlackBot;
  port: number;
  command(
    command: string,
    text: string,
    user: string,
    options?: PostOptions & { channel?: string },
  ): Promise<{ status: number; text: string }>;
  click(
    fields: Omit<ClickFields, 'responseUrl' | 'channelId'> & { channelId?: string },
  ): Promise<{ status: number; text: string }>;
  event(event: Record<string, unknown>): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

let responseSeq = 0;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await FakeSlack.start();
  slack.setGroup('S0PLATFORM', [USERS.platform]);
  slack.setGroup('S0LEADS', [USERS.lead1, USERS.lead2]);
  const config = parseConfig(options.configYaml ?? CONFIG_YAML);
  const fake = options.engine
    ? null
    : await FakeEngine.start(options.configYaml ?? CONFIG_YAML, { paceMs: options.paceMs });
  const engine = options.engine ? options.engine(config) : fake!.engine;
  const reports = new Map<string, string>();
  const bot = await startSlackBot({
    engine,
    config,
    getReport: async (changeId) =>
      reports.get(changeId) ?? [...reports].find(([name]) => fake?.idOf(name) === changeId)?.[1],
    logger: silentLogger(),
    env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: '0', SLACK_API_URL: slack.apiUrl },
    // Slack's 1/s per channel would make every test wait; the pacer itself has its own tests.
    reporter: { minUpdateIntervalMs: 100, retryBaseMs: 50, pacer: new ChannelPacer(100, 20) },
    drainTimeoutMs: 3000,
    ...options.bot,
  });
  const port = bot.port!;
  return {
    slack,
    engine,
    fake,
    reports,
    config,
    bot,
    port,
    command: (command, text, user, o = {}) => {
      responseSeq += 1;
      const body = commandBody({
        command,
        text,
        user_id: user,
        channel_id: o.channel ?? 'CDEPLOYS',
        response_url: slack.responseUrl(`cmd-${responseSeq}`),
      });
      return postSigned(port, body, 'application/x-www-form-urlencoded', o);
    },
    click: (fields) => {
      responseSeq += 1;
      const body = actionBody({
        channelId: 'CDEPLOYS',
        ...fields,
        responseUrl: slack.responseUrl(`click-${responseSeq}`),
      });
      return postSigned(port, body, 'application/x-www-form-urlencoded');
    },
    event: (event) => postSigned(port, eventBody(event), 'application/json'),
    close: async () => {
      await bot.stop();
      await slack.close();
      await fake?.close();
    },
  };
}

/** Polls until `check` returns something truthy (or throws after `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** All the text of a recorded message: its `text` and every text inside its blocks. */
export function messageText(body: JsonDoc): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}

/** The button elements of a message body's blocks. */
export function buttonsOf(
  body: JsonDoc,
): { action_id: string; value: string; style?: string; confirm?: unknown; block_id: string }[] {
  const out: { action_id: string; value: string; style?: string; confirm?: unknown; block_id: string }[] = [];
  for (const b of (body.blocks ?? []) as JsonDoc[]) {
    if (b.type === 'actions') for (const e of b.elements) out.push({ ...e, block_id: b.block_id });
    if (b.accessory?.type === 'button') out.push({ ...b.accessory, block_id: b.block_id });
  }
  return out;
}

/** A logger that keeps its JSON lines (warn and above) for assertions. */
export function capturingLogger(): { logger: Logger; lines: () => JsonDoc[] } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void raw.push(line) } });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as JsonDoc) };
}
