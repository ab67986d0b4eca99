/** `store migrate --from sqlite:PATH --to dynamodb:TABLE`: copies history into the shared store. */
import type { Command } from 'commander';
import type { CopyCount, MigrationResult } from '../store/migrate';
import { describeStoreSpec, parseStoreSpec, tableRegion } from '../store/open-store';
import type { CliContext } from './context';
import { invalidInput } from './errors';
import { alignTable } from './format-common';
import { answer, verbAction } from './verb';

function formatMigration(from: string, to: string, result: MigrationResult): string[] {
  const counts: Record<string, CopyCount> = { ...result };
  const rows = Object.entries(counts).map(([what, count]) => [what, String(count.copied), String(count.skipped)]);
  return [`copied ${from} → ${to}`, ...alignTable([['WHAT', 'COPIED', 'ALREADY THERE'], ...rows])];
}

export function registerStoreMigrate(program: Command, ctx: CliContext): void {
  const store =
    program.commands.find((c) => c.name() === 'store') ?? program.command('store').description('the durable store');
  store
    .command('migrate')
    .description(
      'copy deploy history, reports, the audit log, kept counts and pending approvals from a SQLite store into a DynamoDB table (safe to run again)',
    )
    .requiredOption('--from <store>', 'sqlite:PATH')
    .requiredOption('--to <store>', 'dynamodb:TABLE or dynamodb://TABLE')
    .option('--region <region>', 'AWS region of the table (default: AWS_REGION)')
    .action(
      verbAction(ctx, async (_args, options) => {
        const from = parseStoreSpec(String(options.from), '--from');
        const to = parseStoreSpec(String(options.to), '--to');
        if (from.kind !== 'sqlite')
          throw invalidInput(`--from: ${String(options.from)} is not a SQLite store (sqlite:PATH)`);
        if (to.kind !== 'dynamodb')
          throw invalidInput(`--to: ${String(options.to)} is not a DynamoDB table (dynamodb:TABLE)`);
        const region = tableRegion((options.region as string | undefined) ?? to.region, ctx.io.env);
        const { migrateSqliteToDynamo } = await import('../store/migrate');
        const result = await migrateSqliteToDynamo({ from: from.path, to: { table: to.table, region } });
        const [fromText, toText] = [describeStoreSpec(from), describeStoreSpec(to)];
        return answer({ from: fromText, to: toText, copied: result }, formatMigration(fromText, toText, result));
      }),
    );
}
