/** `/smoke` and the deploy thread's smoke reply: the smoke-test table (native or fallback). */
import type { SmokeResult, SmokeRun } from '../../engine/types';
import { smokeBlocks } from '../../smoke';
import { capBlocks, message, type SlackBlock, type SlackMessage } from './blocks';

export function smokeRunView(service: string, run: SmokeRun, table: boolean): SlackMessage {
  return smokeResultsView(`Smoke tests: ${service}`, run.results, table, run.ms);
}

export function smokeResultsView(title: string, results: SmokeResult[], table: boolean, ms?: number): SlackMessage {
  const failed = results.filter((r) => r.status === 'fail' || r.status === 'error').length;
  const blocks = smokeBlocks(results, { table, ms, title }) as SlackBlock[];
  return message(`${title}: ${results.length - failed}/${results.length} passed`, capBlocks(blocks));
}
