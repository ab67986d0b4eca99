import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { ACCOUNT_ID, REGION } from './model';

export function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

function digits(length: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < length) out += String(randomInt(0, 10));
  return out;
}

/** ECS deployment IDs look like `ecs-svc/1234567890123456789`. */
export function deploymentId(): string {
  return `ecs-svc/${digits(19)}`;
}

/** ECS task IDs are 32 hex characters. */
export function taskId(): string {
  return hex(32);
}

export function requestId(): string {
  return randomUUID();
}

export function eventId(): string {
  return randomUUID();
}

/** CloudWatch Logs event IDs are long decimal strings. */
export function logEventId(): string {
  return digits(56);
}

/** A deterministic 40-hex git SHA, so seeded worlds look the same on every run. */
export function fakeGitSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function digestOf(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}

export const arn = {
  cluster: (name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/${name}`,
  service: (cluster: string, name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${cluster}/${name}`,
  task: (cluster: string, id: string) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/${cluster}/${id}`,
  taskDefinition: (family: string, revision: number) =>
    `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/${family}:${revision}`,
  repository: (name: string) => `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/${name}`,
  targetGroup: (name: string) =>
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:targetgroup/${name}/${createHash('sha1').update(name).digest('hex').slice(0, 16)}`,
  loadBalancer: (name: string) =>
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:loadbalancer/app/${name}/${createHash('sha1').update(name).digest('hex').slice(0, 16)}`,
  logGroup: (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${name}:*`,
  role: (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
};

/** Service deployment IDs look like `NCWGC2ZR-taawPAYrIaU5` (letters, digits, `-` and `_`). */
export function serviceDeploymentId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < 21; i += 1) out += alphabet[randomInt(0, alphabet.length)];
  return out;
}

/** Service revision IDs are long decimal numbers. */
export function serviceRevisionId(): string {
  return digits(16);
}

/** Lifecycle hook IDs. */
export function hookId(): string {
  return randomUUID();
}

export const deploymentArns = {
  serviceDeployment: (cluster: string, service: string, id: string) =>
    `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service-deployment/${cluster}/${service}/${id}`,
  serviceRevision: (cluster: string, service: string, id: string) =>
    `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service-revision/${cluster}/${service}/${id}`,
  listenerRule: (name: string, id: string) =>
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:listener-rule/app/demo-alb/${createHash('sha1').update('demo-alb').digest('hex').slice(0, 16)}/${createHash('sha1').update(name).digest('hex').slice(0, 16)}/${id}`,
};
