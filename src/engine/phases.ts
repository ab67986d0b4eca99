/** Every phase, in the order a change meets them: the one list the phase names come from. */
export const PHASE_ORDER = [
  'validate',
  'read_service',
  'resolve_image',
  'approval',
  'register',
  'rollout',
  'targets',
  'smoke',
  'logs',
  'rollback',
  'record',
] as const;

export type PhaseName = (typeof PHASE_ORDER)[number];
