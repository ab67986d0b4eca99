/** Shared by stop and restart: their result as a command result. */
import type { ChangeResultSimple } from '../engine/api';
import type { CommandResult } from './context';

export function simpleChangeResult(result: ChangeResultSimple): CommandResult {
  return { exitCode: result.exitCode, json: { ...result }, text: result.summary };
}
