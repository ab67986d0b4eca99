/** An ecs-chatops config for the simulated services, pointing every URL at the simulator. */
import { stringify } from 'yaml';
import { CORS_ORIGIN } from './app-server';
import { TEST_TRAFFIC_HEADER } from './elb-handlers';
import { DEMO_REPOSITORY_URL } from './github-seed';
import { REGION, type SimService } from './model';

export interface ConfigUrls {
  endpoint: string;
  /** App URL per service name. */
  appUrls: Map<string, string>;
  /** Test-listener URL per service name. */
  testUrls: Map<string, string>;
  httpUrl: string;
  pollMs: number;
  /** Write the blue/green keys (`smoke.testBaseUrl`, `blueGreen.autoContinue`): the world starts in a blue/green scenario. */
  blueGreen?: boolean;
  /** The `blueGreen.autoContinue` written with those keys (default false). */
  autoContinue?: boolean;
}

function serviceEntry(service: SimService, urls: ConfigUrls): Record<string, unknown> {
  return {
    cluster: service.cluster,
    service: service.name,
    container: service.container,
    ecrRepository: 'demo-backend',
    targetGroupArn: service.targetGroupArn,
    logGroup: service.logGroup,
    baseUrl: urls.appUrls.get(service.name),
    repositoryUrl: DEMO_REPOSITORY_URL,
    timeouts: { stabilize: '60s', targetHealth: '30s', poll: `${urls.pollMs}ms` },
    smoke: {
      httpUrl: urls.httpUrl,
      corsOrigin: CORS_ORIGIN,
      maxResponseTime: '2s',
      ...(urls.blueGreen ? { testBaseUrl: urls.testUrls.get(service.name) } : {}),
    },
    logs: { errorPattern: 'ERROR', failOver: 10 },
    ...(urls.blueGreen ? { blueGreen: { autoContinue: urls.autoContinue ?? false } } : {}),
    ...(service.promotesFrom ? { promotesFrom: service.promotesFrom } : {}),
  };
}

/** The YAML text, with a header saying where it points. */
export function buildConfigYaml(services: SimService[], urls: ConfigUrls): string {
  const config = {
    region: REGION,
    reportsDir: './reports',
    services: Object.fromEntries(services.map((s) => [s.key, serviceEntry(s, urls)])),
  };
  const header = [
    '# ecs-chatops config for a simulated AWS world (no AWS account needed).',
    `# AWS calls go to ${urls.endpoint}: run with AWS_ENDPOINT_URL=${urls.endpoint}`,
    '# and dummy credentials (AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1).',
    '# The commits a deploy ships come from the fake GitHub named by GITHUB_API_URL (see `ecs-chatops sim`).',
    ...(urls.blueGreen
      ? [
          `# Test traffic: smoke.testBaseUrl, or the production URL with smoke.testHeader { name: ${TEST_TRAFFIC_HEADER.name}, value: ${TEST_TRAFFIC_HEADER.value} }.`,
        ]
      : []),
  ];
  return `${header.join('\n')}\n${stringify(config, { lineWidth: 0 })}`;
}

/** A freeze window for the simulated world (`sim --freeze "Fri 16:00..Mon 08:00 America/New_York"`). */
export interface SimFreeze {
  start: string;
  end: string;
  timeZone: string;
}

/**
 * `<start>..<end> [zone]` (zone default UTC) as a window; undefined when it has no `..`.
 * The times themselves are checked by the config schema, which names the key.
 */
export function parseSimFreeze(text: string): SimFreeze | undefined {
  const [start, rest, ...more] = text.split('..').map((s) => s.trim());
  if (!start || !rest || more.length) return undefined;
  const words = rest.split(/\s+/);
  const last = words[words.length - 1];
  const zoned = words.length > 1 && (last.includes('/') || last === 'UTC');
  return { start, end: (zoned ? words.slice(0, -1) : words).join(' '), timeZone: zoned ? last : 'UTC' };
}

/** The config text with a `freezes` list holding `freeze`, for every service. */
export function withSimFreeze(configYaml: string, freeze: SimFreeze): string {
  const window = { name: 'sim-freeze', ...freeze, reason: 'a freeze window of the simulated world' };
  return `${configYaml.trimEnd()}\n${stringify({ freezes: [window] }, { lineWidth: 0 })}`;
}
