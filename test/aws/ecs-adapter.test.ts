import 'aws-sdk-client-mock-jest';
import {
  ClientException,
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { EcsAdapter } from '../../src/aws/ecs-adapter';
import { cachedPerRegion } from '../../src/aws/client-factory';
import {
  APP_CONTAINER,
  CLUSTER,
  IMAGE_URI,
  REGION,
  SERVICE,
  SIDECAR_CONTAINER_DEF,
  TAGS,
  TASK_DEF_ARN_41,
  TASK_DEF_ARN_42,
  describedServices,
  describedTaskDefinition41,
  expectedRegisterInput,
  registeredTaskDefinition42,
  rollingService,
} from './fixtures';
import { caught } from './helpers';

const ecsMock = mockClient(ECSClient);

function newAdapter(): EcsAdapter {
  return new EcsAdapter(cachedPerRegion((region) => new ECSClient({ region })));
}

describe('Class: EcsAdapter', () => {
  beforeEach(() => {
    ecsMock.reset();
  });

  describe('Method: describeServices', () => {
    it('maps deployments, counts, circuit breaker and events of a rolling service', async () => {
      // Prepare
      ecsMock.on(DescribeServicesCommand).resolves(describedServices(rollingService()));

      // Act
      const [state] = await newAdapter().describeServices(REGION, CLUSTER, [SERVICE]);

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: CLUSTER, services: [SERVICE] });
      expect(state).toMatchObject({
        cluster: CLUSTER,
        serviceName: SERVICE,
        status: 'ACTIVE',
        taskDefinition: TASK_DEF_ARN_42,
        desiredCount: 2,
        runningCount: 3,
        pendingCount: 1,
        circuitBreaker: { enable: true, rollback: true },
      });
      expect(state.deployments).toEqual([
        {
          id: 'ecs-svc/1111111111111111111',
          status: 'PRIMARY',
          taskDefinition: TASK_DEF_ARN_42,
          desiredCount: 2,
          runningCount: 1,
          pendingCount: 1,
          failedTasks: 0,
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: 'ECS deployment ecs-svc/1111111111111111111 in progress.',
          createdAt: new Date('2025-05-03T09:00:05Z'),
          updatedAt: new Date('2025-05-03T09:01:10Z'),
        },
        expect.objectContaining({ status: 'ACTIVE', taskDefinition: TASK_DEF_ARN_41, rolloutState: 'COMPLETED' }),
      ]);
      expect(state.events.map((e) => e.id)).toEqual(['ev-3', 'ev-2', 'ev-1']);
    });

    it('keeps events newest first even when they arrive out of order', async () => {
      // Prepare
      const service = rollingService();
      service.events = [...service.events!].reverse();
      ecsMock.on(DescribeServicesCommand).resolves(describedServices(service));

      // Act
      const [state] = await newAdapter().describeServices(REGION, CLUSTER, [SERVICE]);

      // Assess
      expect(state.events.map((e) => e.id)).toEqual(['ev-3', 'ev-2', 'ev-1']);
    });

    it('throws service_not_found naming cluster and service when ECS reports it MISSING', async () => {
      // Prepare
      ecsMock.on(DescribeServicesCommand).resolves({
        services: [],
        failures: [
          { arn: `arn:aws:ecs:${REGION}:123456789012:service/${CLUSTER}/mentalspace-frontend`, reason: 'MISSING' },
        ],
      });

      // Act
      const err = await caught(newAdapter().describeServices(REGION, CLUSTER, ['mentalspace-frontend']));

      // Assess
      expect(err.code).toBe('service_not_found');
      expect(err.message).toContain('mentalspace-frontend');
      expect(err.message).toContain(CLUSTER);
    });

    it('treats an INACTIVE (deleted) service as not found', async () => {
      // Prepare
      ecsMock.on(DescribeServicesCommand).resolves(describedServices({ ...rollingService(), status: 'INACTIVE' }));

      // Act
      const err = await caught(newAdapter().describeServices(REGION, CLUSTER, [SERVICE]));

      // Assess
      expect(err.code).toBe('service_not_found');
      expect(err.message).toContain('INACTIVE');
    });

    it('maps a missing cluster to service_not_found', async () => {
      // Prepare
      ecsMock
        .on(DescribeServicesCommand)
        .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }));

      // Act
      const err = await caught(newAdapter().describeServices(REGION, 'no-such-cluster', [SERVICE]));

      // Assess
      expect(err.code).toBe('service_not_found');
      expect(err.message).toContain('no-such-cluster');
      expect(err.cause).toBeInstanceOf(ClusterNotFoundException);
    });

    it('asks for at most 10 services per call and returns them in the order asked', async () => {
      // Prepare
      const names = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
      ecsMock
        .on(DescribeServicesCommand)
        .callsFake((input: { services: string[] }) =>
          describedServices(
            ...[...input.services]
              .reverse()
              .map((n) => ({ ...rollingService(), serviceName: n, serviceArn: undefined })),
          ),
        );

      // Act
      const states = await newAdapter().describeServices(REGION, CLUSTER, names);

      // Assess
      expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 2);
      expect(ecsMock).toHaveReceivedNthCommandWith(2, DescribeServicesCommand, { services: ['svc-10', 'svc-11'] });
      expect(states.map((s) => s.serviceName)).toEqual(names);
    });
  });

  describe('Method: describeTaskDefinition', () => {
    it('asks for tags and maps containers, tags and a registrable definition without read-only fields', async () => {
      // Prepare
      ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition41());

      // Act
      const td = await newAdapter().describeTaskDefinition(REGION, 'mentalspace-backend-prod:41');

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, {
        taskDefinition: 'mentalspace-backend-prod:41',
        include: ['TAGS'],
      });
      expect(td.arn).toBe(TASK_DEF_ARN_41);
      expect(td.family).toBe('mentalspace-backend-prod');
      expect(td.revision).toBe(41);
      expect(td.containers.map((c) => [c.name, c.essential])).toEqual([
        [APP_CONTAINER, true],
        ['datadog-agent', false],
      ]);
      expect(td.tags).toEqual(TAGS);
      const { tags: _tags, ...definition } = expectedRegisterInput();
      definition.containerDefinitions[0].image = td.containers[0].image;
      expect(td.registrable).toEqual(definition);
    });

    it('maps the ClientException ECS sends for an unknown definition to task_definition_not_found', async () => {
      // Prepare
      ecsMock
        .on(DescribeTaskDefinitionCommand)
        .rejects(
          new ClientException({ message: 'Unable to describe task definition.', $metadata: { httpStatusCode: 400 } }),
        );

      // Act
      const err = await caught(newAdapter().describeTaskDefinition(REGION, 'mentalspace-backend-prod:999'));

      // Assess
      expect(err.code).toBe('task_definition_not_found');
      expect(err.message).toContain('mentalspace-backend-prod:999');
    });
  });

  describe('Method: registerRevision', () => {
    it('registers the same definition with only the app image changed, tags kept and the sidecar untouched', async () => {
      // Prepare
      ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition41());
      ecsMock.on(RegisterTaskDefinitionCommand).resolves(registeredTaskDefinition42());
      const adapter = newAdapter();
      const from = await adapter.describeTaskDefinition(REGION, TASK_DEF_ARN_41);

      // Act
      const registered = await adapter.registerRevision(REGION, from, APP_CONTAINER, IMAGE_URI);

      // Assess
      const sent = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
      expect(sent).toEqual(expectedRegisterInput());
      for (const field of [
        'taskDefinitionArn',
        'revision',
        'status',
        'requiresAttributes',
        'compatibilities',
        'registeredAt',
        'registeredBy',
      ]) {
        expect(sent).not.toHaveProperty(field);
      }
      expect(sent.containerDefinitions![1]).toEqual(expectedRegisterInput().containerDefinitions[1]);
      expect(sent.containerDefinitions![1].image).toBe(SIDECAR_CONTAINER_DEF.image);
      expect(sent.containerDefinitions![0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(registered.arn).toBe(TASK_DEF_ARN_42);
      expect(registered.revision).toBe(42);
      expect(registered.tags).toEqual(TAGS);
    });

    it('does not change the definition it was given', async () => {
      // Prepare
      ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition41());
      ecsMock.on(RegisterTaskDefinitionCommand).resolves(registeredTaskDefinition42());
      const adapter = newAdapter();
      const from = await adapter.describeTaskDefinition(REGION, TASK_DEF_ARN_41);
      const before = structuredClone(from.registrable);

      // Act
      await adapter.registerRevision(REGION, from, APP_CONTAINER, IMAGE_URI);

      // Assess
      expect(from.registrable).toEqual(before);
    });

    it('sends no tags key when the definition has no tags', async () => {
      // Prepare
      ecsMock.on(DescribeTaskDefinitionCommand).resolves({ ...describedTaskDefinition41(), tags: [] });
      ecsMock.on(RegisterTaskDefinitionCommand).resolves(registeredTaskDefinition42());
      const adapter = newAdapter();
      const from = await adapter.describeTaskDefinition(REGION, TASK_DEF_ARN_41);

      // Act
      await adapter.registerRevision(REGION, from, APP_CONTAINER, IMAGE_URI);

      // Assess
      expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input).not.toHaveProperty('tags');
    });

    it('refuses an unknown container with container_not_found listing the containers that exist', async () => {
      // Prepare
      ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition41());
      const adapter = newAdapter();
      const from = await adapter.describeTaskDefinition(REGION, TASK_DEF_ARN_41);

      // Act
      const err = await caught(adapter.registerRevision(REGION, from, 'backend', IMAGE_URI));

      // Assess
      expect(err.code).toBe('container_not_found');
      expect(err.message).toContain('"backend"');
      expect(err.message).toContain('mentalspace-backend, datadog-agent');
      expect(ecsMock).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    });
  });

  describe('Method: updateService', () => {
    it('sends only the fields asked for and returns the mapped service', async () => {
      // Prepare
      ecsMock.on(UpdateServiceCommand).resolves({ service: rollingService() });

      // Act
      const state = await newAdapter().updateService(REGION, {
        cluster: CLUSTER,
        service: SERVICE,
        taskDefinition: TASK_DEF_ARN_42,
      });

      // Assess
      expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
        cluster: CLUSTER,
        service: SERVICE,
        taskDefinition: TASK_DEF_ARN_42,
      });
      expect(state.taskDefinition).toBe(TASK_DEF_ARN_42);
      expect(state.deployments).toHaveLength(2);
    });

    it('can set the desired count to 0 and force a new deployment', async () => {
      // Prepare
      ecsMock.on(UpdateServiceCommand).resolves({ service: { ...rollingService(), desiredCount: 0 } });

      // Act
      const state = await newAdapter().updateService(REGION, {
        cluster: CLUSTER,
        service: SERVICE,
        desiredCount: 0,
        forceNewDeployment: true,
      });

      // Assess
      expect(ecsMock.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
        cluster: CLUSTER,
        service: SERVICE,
        desiredCount: 0,
        forceNewDeployment: true,
      });
      expect(state.desiredCount).toBe(0);
    });

    it('maps ServiceNotFoundException to service_not_found', async () => {
      // Prepare
      ecsMock
        .on(UpdateServiceCommand)
        .rejects(new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }));

      // Act
      const err = await caught(
        newAdapter().updateService(REGION, { cluster: CLUSTER, service: 'gone', desiredCount: 1 }),
      );

      // Assess
      expect(err.code).toBe('service_not_found');
      expect(err.message).toContain('gone');
      expect(err.message).toContain(CLUSTER);
    });
  });

  describe('Method: (clients)', () => {
    it('creates one client per region, on first use', async () => {
      // Prepare
      const created: string[] = [];
      ecsMock.on(DescribeServicesCommand).resolves(describedServices(rollingService()));
      const adapter = new EcsAdapter(
        cachedPerRegion((region) => {
          created.push(region);
          return new ECSClient({ region });
        }),
      );

      // Act
      await adapter.describeServices('us-east-1', CLUSTER, [SERVICE]);
      await adapter.describeServices('us-east-1', CLUSTER, [SERVICE]);
      await adapter.describeServices('eu-west-1', CLUSTER, [SERVICE]);

      // Assess
      expect(created).toEqual(['us-east-1', 'eu-west-1']);
    });
  });
});
