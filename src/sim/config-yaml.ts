/** An ecs-chatops config for the simulated services, pointing every URL at the simulator. */
import { stringify } from 'yaml';
import { CORS_ORIGIN } from './app-server';
import { REGION, type SimService } from './model';

export interface ConfigUrls {
  endpoint: string;
  /** App URL per service name. */
  appUrls: Map<string, string>;
  httpUrl: string;
  pollMs: number;
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
    timeouts: { stabilize: '60s', targetHealth: '30s', poll: `${urls.pollMs}ms` },
    smoke: { httpUrl: urls.httpUrl, corsOrigin: CORS_ORIGIN, maxResponseTime: '2s' },
    logs: { errorPattern: 'ERROR', failOver: 10 },
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
  ];
  return `${header.join('\n')}\n${stringify(config, { lineWidth: 0 })}`;
}
