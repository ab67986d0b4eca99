/** A promotion as an approval request keeps it, and back. */
import type { PromotionSpec } from './change-runner';

/** What an approval keeps of a promotion: the source and the exact image, so the approved release is the one promoted. */
export function promotionParams(promotion: PromotionSpec | undefined): Record<string, unknown> {
  if (!promotion) return {};
  const { from, image, digest, force } = promotion;
  return { from, image, digest, ...(force ? { force: true, promotionOverride: true } : {}) };
}

export function promotionOf(p: Record<string, unknown>): { promotion?: PromotionSpec } {
  if (typeof p.from !== 'string' || typeof p.image !== 'string' || typeof p.digest !== 'string') return {};
  return { promotion: { from: p.from, image: p.image, digest: p.digest, force: p.promotionOverride === true } };
}
