/**
 * `deploy --force` into a freeze without `--approval`: the override is asked for (a stored,
 * audited approval request a second person answers with `freeze approve ID` or in Slack), and
 * the deploy stops there with exit 4, saying how to go on.
 */
import type { EngineApi } from '../engine/api';
import { describeFreeze } from '../engine/freeze/guard';
import type { Actor } from '../engine/types';
import { CodedError, ErrorCodes } from '../errors';
import { changeCommandResult, failedChangeResult } from './change-result';
import type { CommandResult } from './context';

/** Null when the service is not frozen (the deploy goes on as usual). */
export async function requestFreezeOverride(
  engine: Pick<EngineApi, 'activeFreezes' | 'requestApproval'>,
  input: { service: string; sha: string; reason: string | undefined; actor: Actor; startedAt: string },
): Promise<CommandResult | null> {
  const freezes = await engine.activeFreezes(input.service);
  if (freezes.length === 0) return null;
  const request = await engine.requestApproval({
    service: input.service,
    action: 'deploy',
    params: { sha: input.sha, force: true, freezeOverride: true },
    requester: input.actor,
    reason: input.reason ?? `freeze override: deploy ${input.sha}`,
  });
  const message =
    `${input.service} is frozen: ${freezes.map(describeFreeze).join('; ')}. ` +
    `Override requested as ${request.id} (until ${request.expiresAt}): a second person runs ` +
    `\`ecs-chatops freeze approve ${request.id}\`, then you run ` +
    `\`ecs-chatops deploy ${input.service} ${input.sha} --force --approval ${request.id}\``;
  const error = new CodedError(ErrorCodes.approvalRequired, message);
  const result = failedChangeResult('deploy', input, error);
  return { ...changeCommandResult(result), json: { ...result, approvalId: request.id } };
}
