/** The simulated ECS task-definition registry: register, look up, read images. */
import { arn } from './ids';
import { ACCOUNT_ID, type SimState, type SimTaskDefinition } from './model';
import { AwsError } from './wire';

/**
 * Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. Written out
 * here on purpose rather than shared with the adapter: the simulator is what checks the adapter.
 */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

const REGISTERED_BY = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deployer/ecs-chatops`;

interface Tag {
  key: string;
  value: string;
}

function validateRegistration(input: Record<string, unknown>): {
  family: string;
  containers: Record<string, unknown>[];
  tags: Tag[];
} {
  const readOnly = READ_ONLY_FIELDS.filter((f) => f in input);
  if (readOnly.length) {
    throw new AwsError(
      'ClientException',
      `Unknown parameter(s) in the task definition: ${readOnly.join(', ')} (read-only fields cannot be registered).`,
    );
  }
  const family = input.family;
  if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw new AwsError('ClientException', 'Family must be 1-255 letters, numbers, hyphens and underscores.');
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new AwsError('ClientException', 'Container list cannot be empty.');
  }
  for (const c of containers as (Record<string, unknown> | null)[]) {
    if (typeof c?.name !== 'string' || !c.name)
      throw new AwsError('ClientException', 'Container.name should not be null or empty.');
    if (typeof c.image !== 'string' || !c.image)
      throw new AwsError('ClientException', 'Container.image should not be null or empty.');
  }
  const tags = (input.tags ?? []) as Tag[];
  if (!Array.isArray(tags) || tags.length > 50)
    throw new AwsError('InvalidParameterException', 'A task definition can have at most 50 tags.');
  return { family, containers: containers as Record<string, unknown>[], tags };
}

/**
 * Registers a new revision of the input's family, as ECS would.
 * @throws AwsError `ClientException` for read-only fields, a bad family or bad containers.
 */
export function registerTaskDefinition(
  state: SimState,
  input: Record<string, unknown>,
  registeredAt = new Date(),
): SimTaskDefinition {
  const { family, tags } = validateRegistration(input);
  const revision =
    state.taskDefinitions.filter((t) => t.family === family).reduce((max, t) => Math.max(max, t.revision), 0) + 1;
  const definitionArn = arn.taskDefinition(family, revision);
  const { tags: _tags, ...definition } = input;
  const requires = (definition.requiresCompatibilities as string[] | undefined) ?? [];
  const body: Record<string, unknown> = {
    taskDefinitionArn: definitionArn,
    ...definition,
    family,
    revision,
    status: 'ACTIVE',
    requiresAttributes: [
      { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
      { name: 'ecs.capability.task-eni' },
    ],
    compatibilities: requires.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt,
    registeredBy: REGISTERED_BY,
  };
  const registered: SimTaskDefinition = {
    arn: definitionArn,
    family,
    revision,
    body,
    tags: tags.map((t) => ({ key: t.key, value: t.value })),
  };
  state.taskDefinitions.push(registered);
  return registered;
}

/** Finds a revision by ARN, `family:revision`, or `family` (the latest ACTIVE revision). */
export function findTaskDefinition(state: SimState, ref: string): SimTaskDefinition | undefined {
  const name = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length) : ref;
  const [family, revision] = name.split(':') as [string, string?];
  const ofFamily = state.taskDefinitions.filter((t) => t.family === family);
  if (revision !== undefined) return ofFamily.find((t) => String(t.revision) === revision);
  return ofFamily.filter((t) => t.body.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
}

/**
 * Looks a revision up the way ECS answers an unknown one.
 * @throws AwsError `ClientException` when there is no such revision.
 */
export function requireTaskDefinition(state: SimState, ref: unknown): SimTaskDefinition {
  const found = typeof ref === 'string' ? findTaskDefinition(state, ref) : undefined;
  if (!found) throw new AwsError('ClientException', 'Unable to describe task definition.');
  return found;
}

/** The image a container of the revision runs, or undefined when there is no such container. */
export function containerImage(definition: SimTaskDefinition, container: string): string | undefined {
  const containers = (definition.body.containerDefinitions ?? []) as { name?: string; image?: string }[];
  return containers.find((c) => c.name === container)?.image;
}
