/**
 * The real SDK clients against a local HTTP server: proves that no endpoint is set in code
 * (AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> are honoured), that throttling is retried
 * by the SDK with our attempt count, and that errors of both wire protocols map to our codes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, sdkClientConfig } from '../../src/aws/client-factory';
import { createAwsAdapters } from '../../src/aws/index';
import { CLUSTER, REGION, SERVICE, TARGET_GROUP_ARN } from './fixtures';

interface Reply {
  status: number;
  type: string;
  body: string;
}

const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_ECS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
];

const json = (status: number, body: unknown): Reply => ({
  status,
  type: 'application/x-amz-json-1.1',
  body: JSON.stringify(body),
});
const xml = (status: number, body: string): Reply => ({ status, type: 'text/xml', body });

const SERVICE_JSON = {
  services: [
    {
      serviceName: SERVICE,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/mentalspace-backend-prod:42',
      deployments: [],
      events: [],
    },
  ],
  failures: [],
};

const ELB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
const TARGET_HEALTH_XML = `<DescribeTargetHealthResponse xmlns="${ELB_NS}"><DescribeTargetHealthResult><TargetHealthDescriptions>
<member><Target><Id>10.0.1.17</Id><Port>3001</Port></Target><TargetHealth><State>healthy</State></TargetHealth></member>
<member><Target><Id>10.0.2.44</Id><Port>3001</Port></Target><TargetHealth><State>unhealthy</State><Reason>Target.Timeout</Reason></TargetHealth></member>
</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeTargetHealthResponse>`;
const elbError = (code: string, message: string) =>
  `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`;

describe('Function: createAwsClients (real SDK, local endpoint)', () => {
  let server: Server;
  let url: string;
  let replies: Reply[];
  let seen: string[];
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        seen.push(target ? target.split('.').pop()! : (/Action=(\w+)/.exec(body)?.[1] ?? 'unknown'));
        const reply = replies.shift() ?? json(500, { __type: 'InternalError', message: 'no reply queued' });
        res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    replies = [];
    seen = [];
    for (const key of ENV_KEYS) {
      saved[key] = process.env[key];
      Reflect.deleteProperty(process.env, key);
    }
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: REGION,
      AWS_CONFIG_FILE: join(tmpdir(), 'ecs-chatops-test-no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'ecs-chatops-test-no-aws-credentials'),
    });
  });

  afterEach(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
  });

  it('defaults to standard retries with 5 attempts, and takes both from the environment', () => {
    // Act
    const defaults = sdkClientConfig(REGION, {});
    const fromEnv = sdkClientConfig(REGION, { AWS_MAX_ATTEMPTS: '8', AWS_RETRY_MODE: 'adaptive' });
    const nonsense = sdkClientConfig(REGION, { AWS_MAX_ATTEMPTS: 'lots', AWS_RETRY_MODE: 'eager' });

    // Assess
    expect(defaults).toMatchObject({ region: REGION, retryMode: 'standard', maxAttempts: 5 });
    expect(defaults).not.toHaveProperty('endpoint');
    expect(defaults).not.toHaveProperty('credentials');
    expect(fromEnv).toMatchObject({ retryMode: 'adaptive', maxAttempts: 8 });
    expect(nonsense).toMatchObject({ retryMode: 'standard', maxAttempts: 5 });
  });

  it('sends ECS calls to AWS_ENDPOINT_URL and lets the SDK retry a throttled call', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = url;
    replies = [json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }), json(200, SERVICE_JSON)];
    const clients = createAwsClients();

    // Act
    const [state] = await createAwsAdapters({ clients }).ecs.describeServices(REGION, CLUSTER, [SERVICE]);
    clients.destroy();

    // Assess
    expect(seen).toEqual(['DescribeServices', 'DescribeServices']);
    expect(state).toMatchObject({ serviceName: SERVICE, runningCount: 2, desiredCount: 2 });
  });

  it('answers throttled once AWS_MAX_ATTEMPTS attempts are used up', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = url;
    process.env.AWS_MAX_ATTEMPTS = '2';
    const throttled = json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    replies = [throttled, throttled, throttled];
    const clients = createAwsClients();

    // Act
    const act = createAwsAdapters({ clients }).ecs.describeServices(REGION, CLUSTER, [SERVICE]);

    // Assess
    await expect(act).rejects.toMatchObject({
      code: 'throttled',
      message: expect.stringContaining('ECS DescribeServices'),
    });
    expect(seen).toHaveLength(2);
    clients.destroy();
  });

  it('honours the service-specific AWS_ENDPOINT_URL_ECS over AWS_ENDPOINT_URL', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    process.env.AWS_ENDPOINT_URL_ECS = url;
    replies = [json(200, SERVICE_JSON)];
    const clients = createAwsClients();

    // Act
    const states = await createAwsAdapters({ clients }).ecs.describeServices(REGION, CLUSTER, [SERVICE]);
    clients.destroy();

    // Assess
    expect(states).toHaveLength(1);
    expect(seen).toEqual(['DescribeServices']);
  });

  it('parses ELBv2 target health from the Query protocol and keeps states exact', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = url;
    replies = [xml(200, TARGET_HEALTH_XML)];
    const clients = createAwsClients();

    // Act
    const targets = await createAwsAdapters({ clients }).elb.describeTargetHealth(REGION, TARGET_GROUP_ARN);
    clients.destroy();

    // Assess
    expect(seen).toEqual(['DescribeTargetHealth']);
    expect(targets).toEqual([
      { id: '10.0.1.17', port: 3001, state: 'healthy', reason: undefined, description: undefined },
      { id: '10.0.2.44', port: 3001, state: 'unhealthy', reason: 'Target.Timeout', description: undefined },
    ]);
  });

  it('maps Query-protocol errors: TargetGroupNotFound and AccessDenied', async () => {
    // Prepare
    process.env.AWS_ENDPOINT_URL = url;
    replies = [
      xml(400, elbError('TargetGroupNotFound', 'One or more target groups not found')),
      xml(
        403,
        elbError('AccessDenied', 'User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth'),
      ),
    ];
    const clients = createAwsClients();
    const { elb } = createAwsAdapters({ clients });

    // Act
    const missing = elb.describeTargetHealth(REGION, TARGET_GROUP_ARN);
    await expect(missing).rejects.toMatchObject({ code: 'target_group_not_found' });
    const denied = elb.describeTargetHealth(REGION, TARGET_GROUP_ARN);

    // Assess
    await expect(denied).rejects.toMatchObject({
      code: 'access_denied',
      message: expect.stringContaining('elasticloadbalancing:DescribeTargetHealth'),
    });
    clients.destroy();
  });
});
