/**
 * Where a release has run, from the store's deploy records: its successful (verified) deploy on
 * a service, and the newest deploy of it anywhere. A release is its digest; a record without a
 * digest is matched by its SHA.
 */
import { formatDistanceStrict } from 'date-fns';
import type { EngineContext } from '../context';
import type { DeployRecord } from '../model';
import { shaMatches } from '../release-ref';
import { shortDigest } from '../validate';
import type { Sighting, Verification } from './model';

/** How many records back a lookup reads. */
const SCAN = 500;

export interface ReleaseRef {
  sha: string | null;
  digest: string | null;
}

function isRelease(r: DeployRecord, ref: ReleaseRef): boolean {
  if (ref.digest && r.digest) return r.digest === ref.digest;
  return Boolean(ref.sha && r.sha && shaMatches(r.sha, ref.sha));
}

/** The newest successful deploy of the release on `service`, or null. */
export async function verificationOn(
  ctx: EngineContext,
  service: string,
  ref: ReleaseRef,
): Promise<Verification | null> {
  const rows = await ctx.store.listDeploys({ service, kind: 'deploy', outcome: 'succeeded', limit: SCAN });
  const r = rows.find((row) => isRelease(row, ref));
  return r ? { service, deployId: r.id, at: r.finishedAt ?? r.startedAt, by: r.actor } : null;
}

/** The newest deploy or rollback of the release on any service (running ones included), or null. */
export async function lastSighting(ctx: EngineContext, ref: ReleaseRef, except?: string): Promise<Sighting | null> {
  const rows = await ctx.store.listDeploys({ limit: SCAN });
  const r = rows.find(
    (row) => row.kind !== 'stop' && row.kind !== 'restart' && row.id !== except && isRelease(row, ref),
  );
  return r ? { service: r.service, deployId: r.id, at: r.finishedAt ?? r.startedAt, outcome: r.outcome } : null;
}

/** "2 hours ago". */
export function ago(ctx: EngineContext, at: string): string {
  return `${formatDistanceStrict(Date.parse(at), ctx.clock.now())} ago`;
}

/** "abc1234 (digest 0123456789ab)", or the digest alone. */
export function releaseText(ref: ReleaseRef): string {
  const digest = `digest ${shortDigest(ref.digest)}`;
  return ref.sha ? `${ref.sha.slice(0, 7)} (${digest})` : digest;
}

/** "last seen on backend-dev 3 hours ago (rolled_back)", or "never deployed by ecs-chatops". */
export function sightingText(ctx: EngineContext, seen: Sighting | null): string {
  if (!seen) return 'never deployed by ecs-chatops';
  return `last seen on ${seen.service} ${ago(ctx, seen.at)} (${seen.outcome.replace(/_/g, ' ')})`;
}
