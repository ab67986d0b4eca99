/**
 * The DynamoDB table's layout, in one place: one table, a `pk`/`sk` primary key and two
 * global secondary indexes. Every read on a hot path is a GetItem or a Query; nothing scans.
 *
 * | item          | pk                      | sk                | gsi1pk / gsi1sk                          | gsi2pk / gsi2sk                      |
 * | ------------- | ----------------------- | ----------------- | ---------------------------------------- | ------------------------------------ |
 * | deploy record | `DEPLOY#<id>`           | `DEPLOY`          | `SERVICE#<svc>` / `<startedAt>#<id>`     | `DEPLOYS#running|finished` / same    |
 * | lock          | `SERVICE#<svc>`         | `LOCK`            | –                                        | `LOCKS` / `<svc>`                    |
 * | kept count    | `SERVICE#<svc>`         | `KEPT_COUNT`      | –                                        | –                                    |
 * | approval      | `APPROVAL#<id>`         | `APPROVAL`        | `APPROVALS#<svc>` / `<status>#<createdAt>#<id>` | `APPROVALS#<status>` / `<createdAt>#<id>` |
 * | audit entry   | `AUDIT#<key>`           | `AUDIT`           | `AUDIT#<svc>` / `<at>#<key>`             | `AUDIT` / `<at>#<key>`               |
 * | report        | `REPORT#<deployId>`     | `HEAD`, `PART#<generation>#<n>` | –                          | –                                    |
 * | promote click | `PROMOTE#<id>`          | `PROMOTE`         | –                                        | –                                    |
 * | freeze        | `FREEZE#<scope>`        | `FREEZE`          | –                                        | `FREEZES` / `<scope>`                |
 *
 * `gsi1` answers "by service, newest first" (status, /deploys for a service, rollback --list,
 * audit by service, pending approvals of a service); `gsi2` answers "by type" (all recent
 * deploys, running deploys for recover, all locks, approvals by status, the whole audit log).
 */

export const GSI1 = 'gsi1';
export const GSI2 = 'gsi2';

/** Approvals and their TTL: DynamoDB deletes an approval this long after it expired. */
export const APPROVAL_RETENTION_S = 30 * 24 * 3600;

export const keys = {
  deploy: (id: string) => ({ pk: `DEPLOY#${id}`, sk: 'DEPLOY' }),
  lock: (service: string) => ({ pk: `SERVICE#${service}`, sk: 'LOCK' }),
  keptCount: (service: string) => ({ pk: `SERVICE#${service}`, sk: 'KEPT_COUNT' }),
  approval: (id: string) => ({ pk: `APPROVAL#${id}`, sk: 'APPROVAL' }),
  audit: (key: string) => ({ pk: `AUDIT#${key}`, sk: 'AUDIT' }),
  reportPk: (deployId: string) => `REPORT#${deployId}`,
  promote: (id: string) => ({ pk: `PROMOTE#${id}`, sk: 'PROMOTE' }),
  freeze: (scope: string) => ({ pk: `FREEZE#${scope}`, sk: 'FREEZE' }),
};

export const partitions = {
  deploysOfService: (service: string) => `SERVICE#${service}`,
  deploys: (running: boolean) => (running ? 'DEPLOYS#running' : 'DEPLOYS#finished'),
  locks: 'LOCKS',
  approvalsOfService: (service: string) => `APPROVALS#${service}`,
  approvalsByStatus: (status: string) => `APPROVALS#${status}`,
  auditOfService: (service: string) => `AUDIT#${service}`,
  audit: 'AUDIT',
  freezes: 'FREEZES',
};

/** Sort keys order by time first; the id breaks ties between equal times. */
export const timeKey = (at: string, id: string) => `${at}#${id}`;

/**
 * The table as `CreateTable` takes it (also the shape deploy/dynamodb-table.yml declares and
 * the table check compares against). On-demand billing; indexes project every attribute.
 */
export function tableDefinition(table: string) {
  const index = (name: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}pk`, KeyType: 'HASH' as const },
      { AttributeName: `${name}sk`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [index(GSI1), index(GSI2)],
  };
}

/** The TTL attribute (epoch seconds) DynamoDB's time-to-live deletes by. */
export const TTL_ATTRIBUTE = 'expiresAtEpoch';
