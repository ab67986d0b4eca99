import {
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  ClientException,
  ClusterNotFoundException,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimWorld, type SimWorld } from '../../src/sim';
import { registerRevision, sdkClients } from './helpers';

describe('Simulator: AWS wire protocols through the real SDK clients', () => {
  let world: SimWorld;
  let aws: ReturnType<typeof sdkClients>;

  beforeEach(async () => {
    world = await startSimWorld({ manual: true });
    aws = sdkClients(world);
  });
  afterEach(async () => {
    aws.destroy();
    await world.close();
  });

  describe('ECS', () => {
    it('describes the seeded service with its PRIMARY COMPLETED deployment, circuit breaker and events', async () => {
      const out = await aws.ecs.send(
        new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend', 'ghost'] }),
      );
      const service = out.services![0];
      expect(service).toMatchObject({
        serviceName: 'demo-backend',
        status: 'ACTIVE',
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
      });
      expect(service.taskDefinition).toMatch(/task-definition\/demo-backend:1$/);
      expect(service.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
      expect(service.deployments).toHaveLength(1);
      expect(service.deployments![0]).toMatchObject({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        runningCount: 2,
        failedTasks: 0,
      });
      expect(service.deployments![0].id).toMatch(/^ecs-svc\/\d{19}$/);
      expect(service.deployments![0].createdAt).toBeInstanceOf(Date);
      expect(service.events![0].message).toBe('(service demo-backend) has reached a steady state.');
      expect(service.events![0].createdAt).toBeInstanceOf(Date);
      expect(out.failures).toEqual([{ arn: expect.stringContaining('service/demo-cluster/ghost'), reason: 'MISSING' }]);
    });

    it('answers an unknown cluster with ClusterNotFoundException', async () => {
      const call = aws.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['demo-backend'] }));
      await expect(call).rejects.toBeInstanceOf(ClusterNotFoundException);
    });

    it('describes clusters, reporting unknown ones as failures', async () => {
      const out = await aws.ecs.send(new DescribeClustersCommand({ clusters: ['demo-cluster', 'nope'] }));
      expect(out.clusters![0]).toMatchObject({
        clusterName: 'demo-cluster',
        status: 'ACTIVE',
        runningTasksCount: 2,
        activeServicesCount: 1,
      });
      expect(out.failures![0].reason).toBe('MISSING');
    });

    it('describes the task definition with both containers and its tags at the top level', async () => {
      const out = await aws.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-backend:1', include: ['TAGS'] }),
      );
      const containers = out.taskDefinition!.containerDefinitions!;
      expect(containers.map((c) => c.name)).toEqual(['backend', 'log-router']);
      expect(containers[0].image).toBe(
        `123456789012.dkr.ecr.us-east-1.amazonaws.com/demo-backend@${world.images[0].digest}`,
      );
      expect(out.taskDefinition).toMatchObject({ family: 'demo-backend', revision: 1, status: 'ACTIVE' });
      expect(out.taskDefinition!.registeredAt).toBeInstanceOf(Date);
      expect(out.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'platform' }]));
    });

    it('leaves tags out unless asked for', async () => {
      const out = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-backend' }));
      expect(out.tags).toBeUndefined();
    });

    it('answers an unknown task definition with ClientException', async () => {
      const call = aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-backend:99' }));
      await expect(call).rejects.toBeInstanceOf(ClientException);
    });

    it('registers the next revision, keeping the tags and the untouched sidecar', async () => {
      const arn = await registerRevision(aws.ecs, world.images[1].digest);
      expect(arn).toMatch(/demo-backend:2$/);
      const out = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
      expect(out.tags).toHaveLength(3);
      expect(out.taskDefinition!.containerDefinitions![1].image).toBe(
        'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4',
      );
    });

    it('rejects read-only fields in RegisterTaskDefinition with a ClientException (raw JSON 1.1 request)', async () => {
      const response = await fetch(world.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition',
        },
        body: JSON.stringify({
          family: 'demo-backend',
          containerDefinitions: [{ name: 'backend', image: 'x' }],
          revision: 1,
          status: 'ACTIVE',
        }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { __type: string; message: string };
      expect(body.__type).toBe('ClientException');
      expect(body.message).toMatch(/revision, status/);
    });

    it('answers UpdateService for an unknown service or task definition with the SDK exceptions', async () => {
      await expect(
        aws.ecs.send(new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'ghost', desiredCount: 1 })),
      ).rejects.toBeInstanceOf(ServiceNotFoundException);
      await expect(
        aws.ecs.send(
          new UpdateServiceCommand({
            cluster: 'demo-cluster',
            service: 'demo-backend',
            taskDefinition: 'demo-backend:42',
          }),
        ),
      ).rejects.toBeInstanceOf(ClientException);
    });
  });

  describe('ECR', () => {
    it('resolves a tag to its digest', async () => {
      const image = world.images[1];
      const out = await aws.ecr.send(
        new DescribeImagesCommand({ repositoryName: 'demo-backend', imageIds: [{ imageTag: image.tag }] }),
      );
      expect(out.imageDetails![0]).toMatchObject({
        imageDigest: image.digest,
        imageTags: [image.tag],
        repositoryName: 'demo-backend',
      });
      expect(out.imageDetails![0].imagePushedAt).toBeInstanceOf(Date);
    });

    it('answers a missing tag with ImageNotFoundException and a missing repository with RepositoryNotFoundException', async () => {
      await expect(
        aws.ecr.send(
          new DescribeImagesCommand({ repositoryName: 'demo-backend', imageIds: [{ imageTag: 'fffffff' }] }),
        ),
      ).rejects.toBeInstanceOf(ImageNotFoundException);
      await expect(aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] }))).rejects.toBeInstanceOf(
        RepositoryNotFoundException,
      );
    });

    it('describes the repository', async () => {
      const out = await aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['demo-backend'] }));
      expect(out.repositories![0].repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/demo-backend');
    });
  });

  describe('ELBv2 (Query protocol)', () => {
    it('describes target groups and the health of every target', async () => {
      const groups = await aws.elb.send(new DescribeTargetGroupsCommand({}));
      const arn = groups.TargetGroups![0].TargetGroupArn!;
      expect(groups.TargetGroups![0]).toMatchObject({
        TargetGroupName: 'demo-backend-tg',
        Port: 3001,
        HealthCheckEnabled: true,
      });
      const health = await aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      expect(health.TargetHealthDescriptions!.map((t) => t.TargetHealth?.State)).toEqual(['healthy', 'healthy']);
      expect(health.TargetHealthDescriptions![0].Target?.Port).toBe(3001);
    });

    it('answers an unknown target group with TargetGroupNotFoundException', async () => {
      const missing = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef';
      await expect(aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: missing }))).rejects.toBeInstanceOf(
        TargetGroupNotFoundException,
      );
      await expect(
        aws.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [missing] })),
      ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    });

    it('records the Query parameters unflattened', async () => {
      const arn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/0123456789abcdef';
      await aws.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })).catch(() => undefined);
      expect(world.calls().at(-1)).toMatchObject({
        service: 'elbv2',
        operation: 'DescribeTargetGroups',
        params: { TargetGroupArns: [arn] },
        status: 400,
      });
    });
  });

  describe('CloudWatch Logs', () => {
    it('pages through the log events (the first page may be empty with a nextToken)', async () => {
      const first = await aws.logs.send(
        new FilterLogEventsCommand({ logGroupName: '/ecs/demo-backend', startTime: 0 }),
      );
      expect(first.events).toEqual([]);
      expect(first.nextToken).toBeDefined();
      const second = await aws.logs.send(
        new FilterLogEventsCommand({ logGroupName: '/ecs/demo-backend', startTime: 0, nextToken: first.nextToken }),
      );
      expect(second.events!.length).toBeGreaterThan(0);
      expect(second.events![0]).toMatchObject({
        message: expect.stringContaining('INFO'),
        logStreamName: expect.stringMatching(/^backend\/backend\/[0-9a-f]{32}$/),
      });
    });

    it('filters with a pattern and answers an unknown group with ResourceNotFoundException', async () => {
      const none = await aws.logs.send(
        new FilterLogEventsCommand({ logGroupName: '/ecs/demo-backend', startTime: 0, filterPattern: 'ERROR' }),
      );
      expect(none.events).toEqual([]);
      expect(none.nextToken).toBeUndefined();
      await expect(aws.logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/nope' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    });

    it('describes log groups by prefix', async () => {
      const out = await aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/demo' }));
      expect(out.logGroups!.map((g) => g.logGroupName)).toEqual(['/ecs/demo-backend']);
    });
  });

  it('records every call in order with its parsed parameters', async () => {
    await aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend'] }));
    await aws.ecr.send(
      new DescribeImagesCommand({ repositoryName: 'demo-backend', imageIds: [{ imageTag: world.images[0].tag }] }),
    );
    const calls = world.calls();
    expect(calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['ecs:DescribeServices', 'ecr:DescribeImages']);
    expect(calls[1].params).toEqual({ repositoryName: 'demo-backend', imageIds: [{ imageTag: world.images[0].tag }] });
    expect(typeof calls[0].at).toBe('number');
  });
});
