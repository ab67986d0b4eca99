import 'aws-sdk-client-mock-jest';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import {
  AccessDeniedException,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedPerRegion, type AwsClients } from '../../src/aws/client-factory';
import { verifyAwsResources, type ResourceCheck } from '../../src/aws/index';
import {
  ACCOUNT,
  CLUSTER,
  LOG_GROUP,
  REGION,
  REPOSITORY,
  SERVICE,
  TARGET_GROUP_ARN,
  TASK_DEF_ARN_42,
  backendService,
  describedServices,
  describedTaskDefinition41,
  rollingService,
} from './fixtures';
import { listedDeployments } from './deployment-fixtures';

const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const logsMock = mockClient(CloudWatchLogsClient);

function testClients(): AwsClients {
  return {
    ecs: cachedPerRegion((region) => new ECSClient({ region })),
    ecr: cachedPerRegion((region) => new ECRClient({ region })),
    elb: cachedPerRegion((region) => new ElasticLoadBalancingV2Client({ region })),
    logs: cachedPerRegion((region) => new CloudWatchLogsClient({ region })),
  };
}

/** Everything the backend service needs exists and is readable. */
function allResourcesPresent(): void {
  ecsMock.on(DescribeClustersCommand).resolves({
    clusters: [{ clusterName: CLUSTER, status: 'ACTIVE', activeServicesCount: 3, runningTasksCount: 6 }],
    failures: [],
  });
  ecsMock.on(DescribeServicesCommand).resolves(describedServices(rollingService()));
  const td = describedTaskDefinition41();
  td.taskDefinition!.taskDefinitionArn = TASK_DEF_ARN_42;
  td.taskDefinition!.revision = 42;
  ecsMock.on(DescribeTaskDefinitionCommand).resolves(td);
  ecsMock.on(ListServiceDeploymentsCommand).resolves(listedDeployments());
  ecrMock.on(DescribeRepositoriesCommand).resolves({
    repositories: [
      { repositoryName: REPOSITORY, repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${REPOSITORY}` },
    ],
  });
  elbMock.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: [
      {
        TargetGroupArn: TARGET_GROUP_ARN,
        TargetGroupName: 'mentalspace-tg',
        Protocol: 'HTTP',
        Port: 3001,
        TargetType: 'ip',
      },
    ],
  });
  logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: LOG_GROUP, retentionInDays: 30 }] });
}

function byResource(checks: ResourceCheck[], resource: string): ResourceCheck | undefined {
  return checks.find((c) => c.resource === resource);
}

describe('Function: verifyAwsResources', () => {
  beforeEach(() => {
    ecsMock.reset();
    ecrMock.reset();
    elbMock.reset();
    logsMock.reset();
  });

  it('reports every configured resource as present, using read-only calls only', async () => {
    // Prepare
    allResourcesPresent();

    // Act
    const checks = await verifyAwsResources(backendService(), testClients());

    // Assess
    expect(checks.map((c) => [c.resource, c.name, c.ok])).toEqual([
      ['ECS cluster', CLUSTER, true],
      ['ECS service', SERVICE, true],
      ['ECS task definition', 'mentalspace-backend-prod:42', true],
      ['ECS container', 'mentalspace-backend', true],
      ['ECS service deployments', SERVICE, true],
      ['ECR repository', REPOSITORY, true],
      ['ELB target group', TARGET_GROUP_ARN, true],
      ['CloudWatch log group', LOG_GROUP, true],
    ]);
    expect(ecsMock).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, { taskDefinition: TASK_DEF_ARN_42 });
    expect(logsMock).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupNamePrefix: LOG_GROUP });
    const sent = [ecsMock, ecrMock, elbMock, logsMock].flatMap((m) => m.calls().map((c) => c.args[0].constructor.name));
    expect(sent.every((name) => /^(Describe|List)/.test(name))).toBe(true);
    expect(byResource(checks, 'ECS service deployments')!.detail).toContain('readable (2 recorded)');
  });

  it.each([
    [
      'denied',
      new AccessDeniedException({
        message: 'not authorized to perform: ecs:ListServiceDeployments',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    [
      'unknown to the endpoint',
      Object.assign(new Error('The simulator does not implement ListServiceDeployments.'), {
        name: 'UnknownOperationException',
      }),
    ],
  ])(
    'warns, without a problem, when ListServiceDeployments is %s: deploys judge from the deployments array',
    async (_case, sdkError) => {
      // Prepare
      allResourcesPresent();
      ecsMock.on(ListServiceDeploymentsCommand).rejects(sdkError);

      // Act
      const checks = await verifyAwsResources(backendService(), testClients());

      // Assess
      const probe = byResource(checks, 'ECS service deployments');
      expect(probe).toMatchObject({ ok: true, warning: true });
      expect(probe!.detail).toContain('ECS ListServiceDeployments');
      expect(probe!.detail).toContain('deploys will judge from the deployments array');
      expect(checks.filter((c) => !c.ok)).toEqual([]);
    },
  );

  it('names a missing ECR repository and says it does not exist', async () => {
    // Prepare
    allResourcesPresent();
    ecrMock.on(DescribeRepositoriesCommand).rejects(
      new RepositoryNotFoundException({
        message: "The repository with name 'mentalspace-backend' does not exist",
        $metadata: {},
      }),
    );

    // Act
    const checks = await verifyAwsResources(backendService(), testClients());

    // Assess
    const repo = byResource(checks, 'ECR repository');
    expect(repo).toMatchObject({ name: REPOSITORY, ok: false });
    expect(repo!.detail).toContain('does not exist');
    expect(checks.filter((c) => !c.ok)).toHaveLength(1);
  });

  it('tells access denied apart from not found', async () => {
    // Prepare
    allResourcesPresent();
    ecsMock.on(DescribeClustersCommand).rejects(
      new AccessDeniedException({
        message: 'not authorized to perform: ecs:DescribeClusters',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    elbMock
      .on(DescribeTargetGroupsCommand)
      .rejects(new TargetGroupNotFoundException({ message: 'One or more target groups not found', $metadata: {} }));

    // Act
    const checks = await verifyAwsResources(backendService(), testClients());

    // Assess
    expect(byResource(checks, 'ECS cluster')!.detail).toMatch(/^not readable \(access denied\)/);
    expect(byResource(checks, 'ECS cluster')!.detail).toContain('ecs:DescribeClusters');
    expect(byResource(checks, 'ELB target group')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('does not exist'),
    });
  });

  it('names the container that is missing from the current task definition, listing the ones there', async () => {
    // Prepare
    allResourcesPresent();

    // Act
    const checks = await verifyAwsResources(backendService({ container: 'backend' }), testClients());

    // Assess
    expect(byResource(checks, 'ECS container')).toMatchObject({ name: 'backend', ok: false });
    expect(byResource(checks, 'ECS container')!.detail).toContain('mentalspace-backend, datadog-agent');
  });

  it('fails the service check and skips the task definition when the service is missing', async () => {
    // Prepare
    allResourcesPresent();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: SERVICE, reason: 'MISSING' }] });

    // Act
    const checks = await verifyAwsResources(backendService(), testClients());

    // Assess
    expect(byResource(checks, 'ECS service')).toMatchObject({ ok: false, detail: expect.stringContaining(CLUSTER) });
    expect(byResource(checks, 'ECS task definition')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('not checked'),
    });
    expect(ecsMock).not.toHaveReceivedCommand(DescribeTaskDefinitionCommand);
  });

  it('matches the log group name exactly, not by prefix', async () => {
    // Prepare
    allResourcesPresent();
    logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: `${LOG_GROUP}-old` }] });

    // Act
    const checks = await verifyAwsResources(backendService(), testClients());

    // Assess
    expect(byResource(checks, 'CloudWatch log group')).toMatchObject({ name: LOG_GROUP, ok: false });
    expect(byResource(checks, 'CloudWatch log group')!.detail).toContain('does not exist');
  });

  it('skips the target group and log group when they are not configured', async () => {
    // Prepare
    allResourcesPresent();

    // Act
    const checks = await verifyAwsResources(
      backendService({ targetGroupArn: undefined, logGroup: undefined }),
      testClients(),
    );

    // Assess
    expect(checks.map((c) => c.resource)).not.toContain('ELB target group');
    expect(checks.map((c) => c.resource)).not.toContain('CloudWatch log group');
    expect(elbMock).not.toHaveReceivedAnyCommand();
    expect(logsMock).not.toHaveReceivedAnyCommand();
  });
});
