/** The command tree: global options and one registration per verb. */
import { Command, type CommanderError } from 'commander';
import { registerConfigCheck } from './config-check';
import type { CliContext } from './context';
import { PROGRAM_NAME } from './io';
import { registerDeploy } from './deploy';
import { registerFreeze } from './freeze';
import { registerHistory } from './history';
import { registerLocks } from './locks';
import { registerPromote } from './promote';
import { registerRecover } from './recover';
import { registerLogs } from './logs';
import { registerRestart } from './restart';
import { registerRollback } from './rollback';
import { registerServe, type SignalSource } from './serve';
import { registerSimVerbs } from './sim-verbs';
import { registerSmoke } from './smoke';
import { registerStats } from './stats';
import { registerStatus } from './status';
import { registerStop } from './stop';
import { registerStoreMigrate } from './store-migrate';
import { registerVersion } from './version';

export { PROGRAM_NAME } from './io';

/** A commander parse error, with the usage of the command it happened in. */
export class UsageError extends Error {
  constructor(
    readonly commanderError: CommanderError,
    readonly usage: string,
  ) {
    super(commanderError.message);
    this.name = 'UsageError';
  }
}

/** `ecs-chatops deploy [options] <service> <sha>` */
export function usageOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return `${names.join(' ')} ${cmd.usage()}`.trim();
}

/** Every command, depth first. */
function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap((c) => allCommands(c))];
}

export interface ProgramOptions {
  version: string;
  signals: SignalSource;
}

/** Builds a fresh program (commander keeps parsed values on the objects, so one per run). */
export function buildProgram(ctx: CliContext, options: ProgramOptions): Command {
  const program = new Command(PROGRAM_NAME)
    .description(
      'Deploy AWS ECS services safely: digest-pinned revisions, watched rollouts, smoke tests, automatic rollback.',
    )
    .option('-c, --config <path>', 'config file (default: $ECS_CHATOPS_CONFIG, else ./ecs-chatops.yml)')
    .option('--json', 'print one JSON object with the result on stdout')
    .version(options.version, '-V, --version', 'print the version of ecs-chatops')
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
      // main prints parse errors itself: one line and a usage hint.
      outputError: () => undefined,
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 failed and rolled back (verified), 2 bad input or config (nothing changed),\n' +
        '3 failed and the rollback did not restore health, 4 refused (lock, permission, approval, freeze or an\n' +
        'unverified promotion; nothing changed), 5 done and verified but the outcome could not be recorded.',
    );

  registerDeploy(program, ctx);
  registerRollback(program, ctx);
  registerPromote(program, ctx);
  registerStatus(program, ctx);
  registerVersion(program, ctx);
  registerSmoke(program, ctx);
  registerLogs(program, ctx, options.signals);
  registerStop(program, ctx);
  registerRestart(program, ctx);
  registerHistory(program, ctx);
  registerStats(program, ctx);
  registerConfigCheck(program, ctx);
  registerLocks(program, ctx);
  registerFreeze(program, ctx);
  registerRecover(program, ctx);
  registerStoreMigrate(program, ctx);
  registerServe(program, ctx, options.signals);
  registerSimVerbs(program, ctx);

  for (const cmd of allCommands(program)) {
    cmd.exitOverride((err) => {
      throw new UsageError(err, usageOf(cmd));
    });
  }
  return program;
}
