/** Shared by stop and restart: their result as a command result. */
import type { ChangeResult } from '../engine/api';
import type { CommandResult } from './context';

export function simpleChangeResult(result: ChangeResult): CommandResult {
  return { exitCode: result.exitCode, json: { ...result }, text: result.summary };
}
