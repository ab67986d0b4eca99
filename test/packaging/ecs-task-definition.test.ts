import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignments, execForm, parseDockerfile } from './dockerfile-text';
import { runProbe, startHealthz } from './health-probe';

const ROOT = join(__dirname, '..', '..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  command?: string[];
  portMappings: { containerPort: number }[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  mountPoints: { sourceVolume: string; containerPath: string; readOnly?: boolean }[];
  healthCheck: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  stopTimeout?: number;
  logConfiguration: { logDriver: string; options: Record<string, string> };
}
interface TaskDefinition {
  family: string;
  taskRoleArn: string;
  executionRoleArn: string;
  networkMode: string;
  requiresCompatibilities: string[];
  cpu: string;
  memory: string;
  containerDefinitions: ContainerDefinition[];
  volumes: {
    name: string;
    efsVolumeConfiguration?: {
      fileSystemId: string;
      transitEncryption: string;
      authorizationConfig?: { accessPointId?: string; iam?: string };
    };
  }[];
}
interface ServiceDefinition {
  cluster: string;
  serviceName: string;
  taskDefinition: string;
  desiredCount: number;
  launchType: string;
  deploymentConfiguration: { minimumHealthyPercent: number; maximumPercent: number };
}

const taskDef = readJson('deploy/ecs-task-definition.json') as TaskDefinition;
const container = taskDef.containerDefinitions[0];
const env = new Map(container.environment.map((e) => [e.name, e.value]));

describe('deploy/ecs-task-definition.json', () => {
  it('is a Fargate task definition with task and execution roles', () => {
    expect(taskDef.requiresCompatibilities).toEqual(['FARGATE']);
    expect(taskDef.networkMode).toBe('awsvpc');
    expect(taskDef.taskRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(taskDef.executionRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(taskDef.taskRoleArn).not.toBe(taskDef.executionRoleArn);
    expect(taskDef.containerDefinitions).toHaveLength(1);
    expect(container.essential).toBe(true);
  });

  it('takes the Slack tokens from Secrets Manager, never from plain environment values', () => {
    expect(container.secrets.map((s) => s.name).sort()).toEqual([
      'SLACK_APP_TOKEN',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ]);
    for (const s of container.secrets)
      expect(s.valueFrom).toMatch(
        new RegExp(`^arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@-]+:${s.name}::$`),
      );
    for (const name of env.keys()) expect(name).not.toMatch(/TOKEN|SECRET|PASSWORD|ACCESS_KEY/);
    expect(JSON.stringify(taskDef)).not.toMatch(/xox[abpr]-|xapp-/);
  });

  it('keeps the report files on an encrypted EFS volume mounted at /data', () => {
    const mount = container.mountPoints.find((m) => m.containerPath === '/data');
    expect(mount?.readOnly).not.toBe(true);
    const volume = taskDef.volumes.find((v) => v.name === mount?.sourceVolume);
    expect(volume?.efsVolumeConfiguration?.fileSystemId).toMatch(/^fs-[0-9a-f]+$/);
    expect(volume?.efsVolumeConfiguration?.transitEncryption).toBe('ENABLED');
    expect(volume?.efsVolumeConfiguration?.authorizationConfig?.accessPointId).toMatch(/^fsap-[0-9a-f]+$/);
  });

  it('keeps its state in the DynamoDB table the IAM policy grants, shared by every replica and CI', () => {
    expect(env.get('ECS_CHATOPS_STORE')).toBe('dynamodb://ecs-chatops');
    expect(env.has('ECS_CHATOPS_DB')).toBe(false);
    expect(readFileSync(join(ROOT, 'deploy', 'iam-policy.json'), 'utf8')).toContain(':table/ecs-chatops"');
  });

  it('points ECS_CHATOPS_CONFIG at the file the derived config image bakes in', () => {
    const derived = parseDockerfile(readFileSync(join(ROOT, 'deploy', 'config.Dockerfile'), 'utf8'));
    const baked = derived
      .filter((i) => i.keyword === 'ENV')
      .map((i) => assignments(i.args).get('ECS_CHATOPS_CONFIG'))
      .find(Boolean);
    expect(env.get('ECS_CHATOPS_CONFIG')).toBe(baked);
    const copy = derived.find((i) => i.keyword === 'COPY');
    expect(copy?.args.split(/\s+/).pop()).toBe(baked);
    expect(container.image).toMatch(/\/ecs-chatops-config:[\w.-]+$/);
    expect(container.image).not.toMatch(/:latest$/);
  });

  it('runs `serve`, sends its logs to CloudWatch and has time to drain on stop', () => {
    expect(container.command ?? ['serve']).toEqual(['serve']);
    expect(container.portMappings.map((p) => p.containerPort)).toContain(3000);
    expect(container.logConfiguration.logDriver).toBe('awslogs');
    expect(container.logConfiguration.options['awslogs-group']).toBeTruthy();
    expect(container.logConfiguration.options['awslogs-region']).toBeTruthy();
    expect(container.logConfiguration.options['awslogs-stream-prefix']).toBeTruthy();
    // serve drains changes in flight for 20 s before the bot stops.
    expect(container.stopTimeout).toBeGreaterThanOrEqual(30);
    expect(container.stopTimeout).toBeLessThanOrEqual(120);
  });

  describe('health check', () => {
    const [kind, ...argv] = container.healthCheck.command;

    it('is the image health check: node calling /healthz on PORT', () => {
      expect(kind).toBe('CMD');
      const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
      const image = dockerfile.filter((i) => i.keyword === 'HEALTHCHECK').pop()!;
      expect(argv).toEqual(execForm(image.args.replace(/^(--\S+\s+)*CMD\s+/, '')));
      expect(container.healthCheck.timeout).toBeLessThan(container.healthCheck.interval);
      expect(container.healthCheck.retries).toBeGreaterThanOrEqual(2);
    });

    it('reports healthy on 200 and unhealthy on 503', async () => {
      const ok = await startHealthz(200);
      const sick = await startHealthz(503);
      try {
        expect(await runProbe(argv, ok.port)).toBe(0);
        expect(await runProbe(argv, sick.port)).toBe(1);
        expect(ok.hits).toEqual(['/healthz']);
      } finally {
        await ok.close();
        await sick.close();
      }
    });
  });
});

describe('deploy/ecs-service.json', () => {
  const service = readJson('deploy/ecs-service.json') as ServiceDefinition;

  it('runs two replicas on the shared store, and keeps one serving while the bot itself is deployed', () => {
    expect(service.desiredCount).toBe(2);
    expect(service.deploymentConfiguration.maximumPercent).toBe(200);
    expect(service.deploymentConfiguration.minimumHealthyPercent).toBe(50);
  });

  it('runs the bot task definition on Fargate', () => {
    expect(service.taskDefinition.split(':')[0]).toBe(taskDef.family);
    expect(service.launchType).toBe('FARGATE');
  });
});
