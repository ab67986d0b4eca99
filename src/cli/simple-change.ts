/** Shared by stop and restart: their result as a command result. */
import type { ChangeResult } from '../engine/api';
import { unrecordedAdvice } from './change-result';
import type { CommandResult } from './context';

export function simpleChangeResult(result: ChangeResult): CommandResult {
  const advice = unrecordedAdvice(result);
  return {
    exitCode: result.exitCode,
    json: { ...result },
    text: advice ? `${result.summary}\n${advice}` : result.summary,
  };
}
