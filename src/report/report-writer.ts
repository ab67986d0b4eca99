/**
 * The report's one writer: told by the engine when a deploy or rollback finishes, it renders the
 * markdown once, keeps it in the store (Slack fetches it by change id) and writes it through the
 * sink; the path it returns becomes the result's `reportPath`.
 */
import type { Logger } from 'pino';
import { isStaleFence } from '../engine/change/fence';
import type { ChangeFinishedListener } from '../engine/context';
import type { DeployRecord } from '../engine/model';
import type { StorePort } from '../engine/ports';
import { renderReport } from './render-report';

/** Writes the markdown report somewhere people can read it; returns its path. */
export interface ReportSink {
  write(record: DeployRecord, markdown: string): string | null;
  /** Why the last write returned null. */
  readonly lastError?: unknown;
}

export interface ReportWriterDeps {
  store: Pick<StorePort, 'saveReport'>;
  sink?: ReportSink | null;
  logger: Pick<Logger, 'warn'>;
}

export function reportOnFinish(deps: ReportWriterDeps): ChangeFinishedListener {
  return async ({ result, record }) => {
    const changeId = result.deployId;
    if ((result.kind !== 'deploy' && result.kind !== 'rollback') || !changeId) return;
    let markdown: string;
    try {
      markdown = renderReport(result, record);
    } catch (e) {
      deps.logger.warn({ err: e }, 'could not render the report');
      return;
    }
    try {
      await deps.store.saveReport(changeId, markdown, record?.fence);
      const reportPath = record && deps.sink ? deps.sink.write({ ...record, result }, markdown) : null;
      if (record && deps.sink && reportPath === null)
        deps.logger.warn(
          { err: deps.sink.lastError, changeId },
          'could not write the report file; it is kept in the store',
        );
      return { reportPath };
    } catch (e) {
      // The change was taken over: the lifecycle says so in its one line; the new owner writes the report.
      if (isStaleFence(e)) return;
      deps.logger.warn({ err: e, changeId }, 'could not keep the report');
      return;
    }
  };
}
