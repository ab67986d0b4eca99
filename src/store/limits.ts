/** How many entries a list gives, the same on SQLite and DynamoDB: a default and a cap. */
export const DEPLOY_LIMIT = { default: 20, max: 500 };
export const AUDIT_LIMIT = { default: 100, max: 1000 };
/** Approval requests are listed newest first, at most this many. */
export const APPROVAL_LIST_LIMIT = 500;

/** `limit` as a whole number from 1 to `bounds.max`; the default when none, or no finite number, is given. */
export function clampLimit(limit: number | undefined, bounds: { default: number; max: number }): number {
  if (limit === undefined || !Number.isFinite(limit)) return bounds.default;
  return Math.min(Math.max(1, Math.floor(limit)), bounds.max);
}
