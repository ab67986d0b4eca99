import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = join(__dirname, '..', '..');

/** Every AWS SDK command the code may send, with the IAM action that authorises it. */
const COMMAND_ACTIONS: Record<string, string> = {
  DescribeServicesCommand: 'ecs:DescribeServices',
  DescribeClustersCommand: 'ecs:DescribeClusters',
  DescribeTaskDefinitionCommand: 'ecs:DescribeTaskDefinition',
  RegisterTaskDefinitionCommand: 'ecs:RegisterTaskDefinition',
  UpdateServiceCommand: 'ecs:UpdateService',
  ListServiceDeploymentsCommand: 'ecs:ListServiceDeployments',
  DescribeServiceDeploymentsCommand: 'ecs:DescribeServiceDeployments',
  StopServiceDeploymentCommand: 'ecs:StopServiceDeployment',
  ContinueServiceDeploymentCommand: 'ecs:ContinueServiceDeployment',
  DescribeServiceRevisionsCommand: 'ecs:DescribeServiceRevisions',
  ListTasksCommand: 'ecs:ListTasks',
  DescribeTasksCommand: 'ecs:DescribeTasks',
  DescribeImagesCommand: 'ecr:DescribeImages',
  DescribeRepositoriesCommand: 'ecr:DescribeRepositories',
  DescribeTargetHealthCommand: 'elasticloadbalancing:DescribeTargetHealth',
  DescribeTargetGroupsCommand: 'elasticloadbalancing:DescribeTargetGroups',
  FilterLogEventsCommand: 'logs:FilterLogEvents',
  StartLiveTailCommand: 'logs:StartLiveTail',
  DescribeLogGroupsCommand: 'logs:DescribeLogGroups',
  DescribeTableCommand: 'dynamodb:DescribeTable',
  // The document client's commands (@aws-sdk/lib-dynamodb) and the item actions they send.
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
};

/** The IAM prefix of each SDK client package. */
const PACKAGE_PREFIX: Record<string, string> = {
  '@aws-sdk/client-ecs': 'ecs',
  '@aws-sdk/client-ecr': 'ecr',
  '@aws-sdk/client-elastic-load-balancing-v2': 'elasticloadbalancing',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
};

/** Authorised with a call rather than called: RegisterTaskDefinition with tags and with roles. */
const DEPENDENT_ACTIONS = ['ecs:TagResource', 'iam:PassRole'];

/** Actions whose "Resource types" column is empty in AWS's Service Authorization Reference. */
const NO_RESOURCE_LEVEL = new Set([
  'ecs:DescribeTaskDefinition',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeTargetGroups',
  'logs:DescribeLogGroups',
]);

/** Actions granted on "*" but narrowed to one cluster by the `ecs:cluster` condition (ListTasks' resource is the container instance). */
const SCOPED_BY_CLUSTER_CONDITION = new Set(['ecs:ListTasks']);

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Condition?: Partial<Record<string, Record<string, string | string[]>>>;
}
interface Policy {
  Version: string;
  Statement: Statement[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM's wildcard match (`*` any run, `?` one character), case-sensitive as for resources. */
function globMatch(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

/** The Allow statements that grant `action` on `resource` (conditions not evaluated). */
function grants(policy: Policy, action: string, resource = '*'): Statement[] {
  return policy.Statement.filter(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) => globMatch(a.toLowerCase(), action.toLowerCase())) &&
      list(s.Resource).some((r) => globMatch(r, resource)),
  );
}

/** The bot's code is `src/` (the benchmarks, which call the SDK's waiter, live in `bench/`). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Each SDK operation the source sends: `new XCommand(` and `paginateX(` of names imported from an SDK client (or the DynamoDB document client). */
function sdkCallsInSource(): { file: string; name: string; pkg: string }[] {
  const found: { file: string; name: string; pkg: string }[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))['"]/g,
    )) {
      if (m[1]) continue;
      const names = m[2]
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith('type '))
        .map((n) => n.split(/\s+as\s+/)[0].trim());
      for (const name of names) {
        const sent = name.endsWith('Command') && new RegExp(`new\\s+${name}\\s*\\(`).test(text);
        const paginated = /^(paginate|waitUntil|waitFor)[A-Z]/.test(name);
        if (sent || paginated) found.push({ file: relative(ROOT, file), name, pkg: m[3] });
      }
    }
  }
  return found;
}

function readPolicy(name: string): Policy {
  return JSON.parse(readFileSync(join(ROOT, 'deploy', name), 'utf8')) as Policy;
}

const policy = readPolicy('iam-policy.json');
const calls = sdkCallsInSource();

describe('deploy/iam-policy.json', () => {
  it('sees the SDK commands the adapters send', () => {
    // Guards the scanner itself: if it found nothing, every check below would pass vacuously.
    const names = calls.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'DescribeServicesCommand',
        'UpdateServiceCommand',
        'DescribeImagesCommand',
        'PutCommand',
        'QueryCommand',
        'DescribeTableCommand',
      ]),
    );
  });

  it('knows the IAM action of every SDK call in the code', () => {
    const unmapped = calls.filter((c) => !(c.name in COMMAND_ACTIONS)).map((c) => `${c.file}: ${c.name}`);
    expect(unmapped).toEqual([]);
    for (const c of calls) expect(COMMAND_ACTIONS[c.name].split(':')[0]).toBe(PACKAGE_PREFIX[c.pkg]);
  });

  it('allows every action the code needs', () => {
    const missing = calls.map((c) => COMMAND_ACTIONS[c.name]).filter((action) => !listed(action));
    expect(missing).toEqual([]);
  });

  it('allows nothing the code does not need', () => {
    const needed = new Set([...calls.map((c) => COMMAND_ACTIONS[c.name]), ...DEPENDENT_ACTIONS]);
    const granted = policy.Statement.flatMap((s) => list(s.Action));
    expect(granted.filter((a) => !needed.has(a))).toEqual([]);
  });

  it('never grants a wildcard action, NotAction or NotResource', () => {
    for (const s of policy.Statement.filter((st) => st.Sid !== 'NeverRewriteTheAuditLog')) {
      expect(s.Effect).toBe('Allow');
      expect(s.NotAction).toBeUndefined();
      expect(s.NotResource).toBeUndefined();
      for (const action of list(s.Action)) expect(action).not.toMatch(/\*|\?/);
    }
  });

  it('uses Resource "*" only for actions AWS cannot scope to a resource', () => {
    const starred = policy.Statement.filter((s) => list(s.Resource).includes('*') && !s.Condition).flatMap((s) =>
      list(s.Action),
    );
    expect(starred.filter((a) => !NO_RESOURCE_LEVEL.has(a))).toEqual([]);
    const conditioned = policy.Statement.filter((s) => list(s.Resource).includes('*') && s.Condition);
    for (const s of conditioned) {
      expect(list(s.Action).filter((a) => !NO_RESOURCE_LEVEL.has(a) && !SCOPED_BY_CLUSTER_CONDITION.has(a))).toEqual(
        [],
      );
      if (list(s.Action).some((a) => SCOPED_BY_CLUSTER_CONDITION.has(a))) {
        expect(s.Condition?.ArnEquals?.['ecs:cluster']).toMatch(
          /^arn:aws:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]+$/,
        );
      }
    }
  });

  it('scopes every other action to the example service resources', () => {
    const config = parseYaml(readFileSync(join(ROOT, 'examples', 'ecs-chatops.yml'), 'utf8')) as {
      region: string;
      services: Record<string, { cluster: string; service: string; ecrRepository: string; logGroup?: string }>;
    };
    for (const svc of Object.values(config.services)) {
      const account = '123456789012';
      const service = `arn:aws:ecs:${config.region}:${account}:service/${svc.cluster}/${svc.service}`;
      expect(grants(policy, 'ecs:UpdateService', service)).not.toHaveLength(0);
      expect(grants(policy, 'ecs:DescribeServices', service)).not.toHaveLength(0);
      expect(
        grants(
          policy,
          'ecs:UpdateService',
          `arn:aws:ecs:${config.region}:${account}:service/${svc.cluster}/someone-else`,
        ),
      ).toHaveLength(0);
      expect(
        grants(policy, 'ecs:DescribeClusters', `arn:aws:ecs:${config.region}:${account}:cluster/${svc.cluster}`),
      ).not.toHaveLength(0);
      expect(grants(policy, 'ecs:ListServiceDeployments', service)).not.toHaveLength(0);
      const deployment = `arn:aws:ecs:${config.region}:${account}:service-deployment/${svc.cluster}/${svc.service}/AbCdEf123`;
      for (const action of [
        'ecs:DescribeServiceDeployments',
        'ecs:StopServiceDeployment',
        'ecs:ContinueServiceDeployment',
      ]) {
        expect(grants(policy, action, deployment)).not.toHaveLength(0);
        expect(grants(policy, action, deployment.replace(`/${svc.service}/`, '/someone-else/'))).toHaveLength(0);
      }
      const revision = `arn:aws:ecs:${config.region}:${account}:service-revision/${svc.cluster}/${svc.service}/1234567890`;
      expect(grants(policy, 'ecs:DescribeServiceRevisions', revision)).not.toHaveLength(0);
      expect(
        grants(policy, 'ecs:DescribeTasks', `arn:aws:ecs:${config.region}:${account}:task/${svc.cluster}/0123abcd`),
      ).not.toHaveLength(0);
      const repo = `arn:aws:ecr:${config.region}:${account}:repository/${svc.ecrRepository}`;
      expect(grants(policy, 'ecr:DescribeImages', repo)).not.toHaveLength(0);
      expect(grants(policy, 'ecr:DescribeImages', `${repo}-other`)).toHaveLength(0);
      if (svc.logGroup) {
        expect(
          grants(
            policy,
            'logs:FilterLogEvents',
            `arn:aws:logs:${config.region}:${account}:log-group:${svc.logGroup}:*`,
          ),
        ).not.toHaveLength(0);
        // The live tail names the group by its ARN without the `:*`.
        const group = `arn:aws:logs:${config.region}:${account}:log-group:${svc.logGroup}`;
        expect(grants(policy, 'logs:StartLiveTail', group)).not.toHaveLength(0);
        expect(grants(policy, 'logs:StartLiveTail', `${group}-other`)).toHaveLength(0);
      }
    }
    // New revisions only in named families: a revision wildcard, never a family wildcard.
    const register = policy.Statement.filter((s) => list(s.Action).includes('ecs:RegisterTaskDefinition')).flatMap(
      (s) => list(s.Resource),
    );
    expect(register.length).toBeGreaterThan(0);
    for (const arn of register)
      expect(arn).toMatch(/^arn:aws:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\*$/);
  });

  it('scopes DynamoDB to the state table and its indexes', () => {
    const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/ecs-chatops';
    for (const action of [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:DescribeTable',
    ]) {
      expect(grants(policy, action, table)).not.toHaveLength(0);
      expect(grants(policy, action, `${table}-other`)).toHaveLength(0);
    }
    expect(grants(policy, 'dynamodb:Query', `${table}/index/gsi1`)).not.toHaveLength(0);
    expect(grants(policy, 'dynamodb:Scan', table)).toHaveLength(0);
  });

  it('denies updating or deleting audit items, whatever else allows it', () => {
    const deny = policy.Statement.filter((s) => s.Effect === 'Deny');
    expect(deny).toEqual([
      {
        Sid: 'NeverRewriteTheAuditLog',
        Effect: 'Deny',
        Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: ['arn:aws:dynamodb:us-east-1:123456789012:table/ecs-chatops'],
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      },
    ]);
  });

  it('tags task definitions only while registering them', () => {
    const tagging = policy.Statement.filter((s) => list(s.Action).includes('ecs:TagResource'));
    expect(tagging).toHaveLength(1);
    expect(tagging[0].Condition).toEqual({ StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } });
    for (const arn of list(tagging[0].Resource)) expect(arn).toMatch(/:task-definition\/[A-Za-z0-9_-]+:\*$/);
  });

  it('passes named roles, and only to ECS tasks', () => {
    const passing = policy.Statement.filter((s) => list(s.Action).includes('iam:PassRole'));
    expect(passing).toHaveLength(1);
    expect(passing[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    const roles = list(passing[0].Resource);
    expect(roles.length).toBeGreaterThanOrEqual(1);
    for (const arn of roles) expect(arn).toMatch(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/);
  });
});

/** True when some Allow statement grants `action` on at least one resource. */
function listed(action: string): boolean {
  return policy.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) => globMatch(a.toLowerCase(), action.toLowerCase())) &&
      list(s.Resource).length > 0,
  );
}

describe('the other policy documents in deploy/', () => {
  const files = readdirSync(join(ROOT, 'deploy')).filter((f) => f.endsWith('-policy.json'));

  it('are all there', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'iam-policy.json',
        'task-role-trust-policy.json',
        'efs-client-policy.json',
        'execution-role-secrets-policy.json',
        'github-oidc-trust-policy.json',
        'ci-ecr-push-policy.json',
      ]),
    );
  });

  it.each(files)('%s is a policy with no wildcard action', (file) => {
    const doc = readPolicy(file);
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement.length).toBeGreaterThan(0);
    for (const s of doc.Statement) {
      expect(s.NotAction).toBeUndefined();
      for (const action of list(s.Action)) expect(action).not.toMatch(/\*/);
    }
  });

  it('lets the execution role read exactly the secret the task definition names', () => {
    const secrets = list(readPolicy('execution-role-secrets-policy.json').Statement[0].Resource);
    const taskDef = JSON.parse(readFileSync(join(ROOT, 'deploy', 'ecs-task-definition.json'), 'utf8')) as {
      containerDefinitions: { secrets: { valueFrom: string }[] }[];
    };
    for (const { valueFrom } of taskDef.containerDefinitions[0].secrets) {
      // `arn:…:secret:name-AbCdEf:JSON_KEY::` is read through the secret's own ARN.
      const secretArn = valueFrom.split(':').slice(0, 7).join(':');
      expect(secrets).toContain(secretArn);
    }
  });
});
