/** What a promotion carries and how the policy judged it: the values front ends show. */
import type { PromotionPolicy } from '../../config/schema';
import type { Outcome } from '../model';
import type { Actor } from '../types';

/** A successful deploy of the release on the source service: when it finished and who ran it. */
export interface Verification {
  service: string;
  deployId: string;
  at: string;
  by: Actor;
}

/** The newest deploy, on any service, of the same SHA or digest. */
export interface Sighting {
  service: string;
  deployId: string;
  at: string;
  outcome: Outcome;
}

/** What the source service runs now: the image pinned by digest, and the SHA of its release. */
export interface PromotionSource {
  service: string;
  /** `repo@sha256:…`, as the source's task definition has it. */
  image: string;
  digest: string;
  sha: string | null;
  taskDefinition: string;
}

/** The policy's finding on a deploy of a service with `promotesFrom` (`--json` field `promotion`). */
export interface PromotionCheck {
  /** The service whose verification counts (the target's `promotesFrom`). */
  source: string;
  policy: PromotionPolicy;
  /** Set for `deploy --from`: what was taken from the source. */
  promoted: PromotionSource | null;
  sha: string | null;
  digest: string;
  verified: Verification | null;
  /** Where the release was last seen when it is not verified; null when never deployed here. */
  lastSeen: Sighting | null;
  /** `ok` (verified), `warned` (went on), `overridden` (forced, approved), `silent` (policy off). */
  verdict: 'ok' | 'warned' | 'overridden' | 'silent';
  approvedBy: Actor | null;
  /** One line for people, plain text: "promoting abc1234 (digest …), verified on backend-staging 2 hours ago by alice". */
  message: string;
}

/** One environment of a pipeline, as `status` shows it. */
export interface PipelineStage {
  service: string;
  sha: string | null;
  digest: string | null;
  verified: Verification | null;
}

/** A service and the services it promotes from, source first. */
export interface Pipeline {
  stages: PipelineStage[];
  /** Commits the last stage lacks of the one before it (from the compare); null when unknown. */
  behindBy: number | null;
  /** Why `behindBy` is unknown. */
  behindUnknown: string | null;
}

/** A promotion as it would go now: the source's release and the policy's view of it, before any change. */
export interface PromotionCandidate {
  service: string;
  release: PromotionSource;
  policy: PromotionPolicy;
  verified: Verification | null;
  lastSeen: Sighting | null;
  /** Plain text, as the deploy would say it. */
  message: string;
}

/** What a change result carries of promotion. */
export interface PromotionFields {
  /** A deploy of a service with `promotesFrom`: the release's verification on the source, and what the policy made of it. */
  promotion?: PromotionCheck | null;
}
