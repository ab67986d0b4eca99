/**
 * Writes each report as a markdown file people can open later:
 * `deployment-YYYYMMDD-HHMMSS-<service>-<kind>.md` (UTC, from the change's start).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DeployRecord } from '../engine/model';
import type { ReportSink } from './report-writer';

const MAX_SUFFIX = 100;

/** `20250121-143022` in UTC; the current time when `iso` is unreadable. */
function stamp(iso: string): string {
  const t = Date.parse(iso);
  const date = new Date(Number.isNaN(t) ? Date.now() : t).toISOString();
  return `${date.slice(0, 10).replace(/-/g, '')}-${date.slice(11, 19).replace(/:/g, '')}`;
}

/** Keeps a name to letters, digits, dot, dash and underscore, so it cannot leave the folder. */
function safePart(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return clean.slice(0, 80) || 'unknown';
}

/** The file name for a record, with `-N` before the extension for the N-th clash. */
export function reportFileName(record: DeployRecord, attempt = 1): string {
  const base = `deployment-${stamp(record.startedAt)}-${safePart(record.service)}-${safePart(record.kind)}`;
  return attempt === 1 ? `${base}.md` : `${base}-${attempt}.md`;
}

export class FileReportSink implements ReportSink {
  /** The last write failure, for the caller to log (the sink itself never throws). */
  lastError: unknown = null;

  constructor(private readonly dir: string) {}

  /**
   * Writes `markdown` to a new file in the folder (created if needed), never overwriting one.
   * Returns its path, or null when it could not be written (see `lastError`).
   */
  write(record: DeployRecord, markdown: string): string | null {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      for (let attempt = 1; attempt <= MAX_SUFFIX; attempt++) {
        const file = path.join(this.dir, reportFileName(record, attempt));
        if (this.createExclusive(file, markdown)) {
          this.lastError = null;
          return file;
        }
      }
      throw new Error(`${MAX_SUFFIX} reports with the same name already exist`);
    } catch (e) {
      // A report that cannot be written never fails the change: the error is kept for the caller to log.
      this.lastError = e;
      return null;
    }
  }

  /** False when the file already exists ('wx' makes the check and the create one step). */
  private createExclusive(file: string, markdown: string): boolean {
    try {
      fs.writeFileSync(file, markdown, { encoding: 'utf8', flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }
}
