import { SERVICE_NAME } from './service-name';
import { z } from 'zod';
import { parseDuration } from './duration';
import { freezeWindowSchema, unknownFreezeServices } from './freeze-schema';
import { secureUrl, webUrl } from './urls';

/** A duration as written in config (`90s`, `15m`, or a number of seconds), parsed to milliseconds. */
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `not a duration: ${JSON.stringify(value)} (use e.g. 500ms, 90s, 15m, 1h)`,
    });
    return z.NEVER;
  }
  return ms;
});

const slackId = z.string().regex(/^[USWG][A-Z0-9]{2,}$/, 'must be a Slack user ID (U…/W…) or user-group ID (S…)');

export const ACTIONS = ['deploy', 'rollback', 'stop', 'restart'] as const;
export type ChangeAction = (typeof ACTIONS)[number];
/** What `requireApproval` may name: the changes, and `promote` (shifting production traffic of a paused deployment). */
export const APPROVABLE = [...ACTIONS, 'promote'] as const;

const accessSchema = z
  .object({
    deploy: z.array(slackId).optional(),
    rollback: z.array(slackId).optional(),
    stop: z.array(slackId).optional(),
    restart: z.array(slackId).optional(),
    approve: z.array(slackId).optional(),
    promote: z.array(slackId).optional(),
    /** Who may set and lift ad-hoc freezes (`/freeze`, `/unfreeze`). */
    freeze: z.array(slackId).optional(),
    read: z.array(slackId).optional(),
  })
  .strict();

export const SMOKE_CHECK_NAMES = [
  'version',
  'liveness',
  'readiness',
  'https',
  'auth',
  'cors',
  'security_headers',
  'response_time',
  'error_format',
  'root',
] as const;
export type SmokeCheckName = (typeof SMOKE_CHECK_NAMES)[number];

const path = z.string().startsWith('/', 'must start with /');
const severity = z.enum(['fail', 'warn']);

/** An HTTP header that routes a request to the test listener (`X-Test-Traffic: 1`). */
const testHeaderSchema = z
  .object({
    name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name'),
    value: z.string().regex(/^[^\r\n\0]*$/, 'must be one line'),
  })
  .strict();

const smokeSchema = z
  .object({
    versionPath: path.default('/api/v1/version'),
    versionField: z.string().min(1).default('gitSha'),
    livePath: path.default('/api/v1/health/live'),
    readyPath: path.default('/api/v1/health/ready'),
    readyExpect: z
      .array(
        z
          .object({ field: z.string().min(1), equals: z.union([z.string(), z.number(), z.boolean(), z.null()]) })
          .strict(),
      )
      .min(1)
      .default([
        { field: 'ready', equals: true },
        { field: 'database', equals: 'connected' },
      ]),
    httpUrl: webUrl.optional(),
    protectedPath: path.default('/api/v1/clients'),
    corsOrigin: webUrl.optional(),
    securityHeaders: z
      .array(z.string().min(1))
      .default(['X-Frame-Options', 'X-Content-Type-Options', 'Strict-Transport-Security']),
    maxResponseTime: duration.default(2000),
    sensitivePatterns: z.array(z.string().min(1)).optional(),
    rootPath: path.default('/'),
    severity: z.partialRecord(z.enum(SMOKE_CHECK_NAMES), severity).default({}),
    skip: z.array(z.enum(SMOKE_CHECK_NAMES)).default([]),
    checkTimeout: duration.default(5000),
    deadline: duration.default(20000),
    caFile: z.string().min(1).optional(),
    testBaseUrl: secureUrl.optional(),
    testHeader: testHeaderSchema.optional(),
  })
  .strict();

const timeoutsSchema = z
  .object({
    stabilize: duration.default(15 * 60_000),
    targetHealth: duration.default(5 * 60_000),
    approval: duration.default(10 * 60_000),
    poll: duration.default(2000),
    /** After ECS says it cannot start the new tasks, how long without a task starting fails the rollout (default: two polls). */
    noProgress: duration.optional(),
  })
  .strict();

const logsSchema = z
  .object({
    errorPattern: z.string().min(1).default('ERROR'),
    failOver: z.number().int().positive().optional(),
  })
  .strict();

const blueGreenSchema = z
  .object({
    autoContinue: z.boolean().default(false),
  })
  .strict();

/** What a deploy of a release its `promotesFrom` never verified gets: refused, a warning, or nothing said. */
export const PROMOTION_POLICIES = ['verified', 'warn', 'off'] as const;
export type PromotionPolicy = (typeof PROMOTION_POLICIES)[number];

const promotionSchema = z.object({ require: z.enum(PROMOTION_POLICIES).default('warn') }).strict();

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1');

const arnTargetGroup = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[\w-]+\/[0-9a-f]+$/,
    'must be a target group ARN',
  );

const awsName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_./#:-]+$/, 'may only contain letters, digits and _ . / # : -');

export const serviceSchema = z
  .object({
    cluster: awsName,
    service: awsName,
    container: awsName,
    ecrRepository: z
      .string()
      .min(2)
      .max(256)
      .regex(/^[a-z0-9][a-z0-9._/-]*$/, 'must be an ECR repository name (lowercase)'),
    targetGroupArn: arnTargetGroup.optional(),
    logGroup: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[\w./#-]+$/, 'must be a CloudWatch log group name')
      .optional(),
    baseUrl: secureUrl.optional(),
    repositoryUrl: webUrl.optional(),
    region: region.optional(),
    access: accessSchema.optional(),
    requireApproval: z.array(z.enum(APPROVABLE)).default([]),
    timeouts: timeoutsSchema.default(() => timeoutsSchema.parse({})),
    smoke: smokeSchema.default(() => smokeSchema.parse({})),
    logs: logsSchema.default(() => logsSchema.parse({})),
    blueGreen: blueGreenSchema.default({ autoContinue: false }),
    /** The service whose releases this one promotes (`deploy <this> --from <it>`); checked in promotion-checks.ts. */
    promotesFrom: z.string().min(1).max(40).optional(),
    promotion: promotionSchema.default({ require: 'warn' }),
  })
  .strict();

/** Also rules out prototype names that fit the pattern (`constructor`, `prototype`); see map-keys.ts. */
const serviceKey = z
  .string()
  .regex(
    SERVICE_NAME,
    'service names are lowercase letters, digits and -, starting with a letter, at most 40 characters',
  );

const readsPerWindow = z.number().int().min(1).max(10_000);

/** How often `/smoke`, `/logs` and `/status` may run, per person and per service, in a sliding window. */
const readLimitsSchema = z
  .object({
    perUser: readsPerWindow.default(5),
    perService: z
      .object({
        smoke: readsPerWindow.default(10),
        logs: readsPerWindow.default(10),
        status: readsPerWindow.default(30),
      })
      .strict()
      .default({ smoke: 10, logs: 10, status: 30 }),
    window: duration.refine((ms) => ms >= 1000 && ms <= 3_600_000, 'must be between 1s and 1h').default(60_000),
  })
  .strict();

/** Where the SQLite file lives when neither `store.path` nor ECS_CHATOPS_DB says otherwise. */
export const DEFAULT_SQLITE_PATH = './data/ecs-chatops.db';

const workspaceId = z
  .string()
  .regex(/^[TE][A-Z0-9]{2,}$/, 'must be a Slack workspace ID (T…) or an Enterprise Grid organisation ID (E…)');

/** The installed workspace: one ID, or a list (workspaces and organisations of an Enterprise Grid install). */
const teamIds = z
  .union([workspaceId, z.array(workspaceId).min(1, 'must name at least one workspace (T…) or organisation (E…)')])
  .transform((v) => (typeof v === 'string' ? [v] : v));

const storeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1).default(DEFAULT_SQLITE_PATH) }).strict(),
  z
    .object({
      kind: z.literal('dynamodb'),
      table: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name'),
      region: region.optional(),
    })
    .strict(),
]);

export const configSchema = z
  .object({
    region: region.optional(),
    channel: z
      .string()
      .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID (C…)')
      .optional(),
    reportsDir: z.string().min(1).default('./reports'),
    slack: z
      .object({
        tableBlocks: z.boolean().default(true),
        groupCacheTtl: duration.default(60_000),
        readLimits: readLimitsSchema.default(() => readLimitsSchema.parse({})),
        teamId: teamIds.optional(),
      })
      .strict()
      .default(() => ({ tableBlocks: true, groupCacheTtl: 60_000, readLimits: readLimitsSchema.parse({}) })),
    access: accessSchema.default({}),
    store: storeSchema.default({ kind: 'sqlite', path: DEFAULT_SQLITE_PATH }),
    services: z
      .record(serviceKey, serviceSchema)
      .refine((s) => Object.keys(s).length > 0, 'at least one service is required'),
    /** Recurring change freezes (freeze-schema.ts): deploys are refused inside them. */
    freezes: z.array(freezeWindowSchema).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (Object.hasOwn(config.services, 'all'))
      ctx.addIssue({
        code: 'custom',
        path: ['services', 'all'],
        message: '"all" is reserved: /freeze all means every service',
      });
    for (const issue of unknownFreezeServices(config.freezes, Object.keys(config.services)))
      ctx.addIssue({ code: 'custom', ...issue });
  });

export type Config = z.output<typeof configSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type SmokeConfig = ServiceConfig['smoke'];
export type AccessConfig = z.output<typeof accessSchema>;
export type { FreezeWindowConfig } from './freeze-schema';
export type ReadLimitsConfig = z.output<typeof readLimitsSchema>;
/** A configured service together with its key in the catalogue (`backend`). */
export type NamedService = ServiceConfig & { name: string; region: string };
