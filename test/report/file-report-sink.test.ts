import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileReportSink } from '../../src/report';
import { ROLLED_BACK_DEPLOY, SUCCEEDED_DEPLOY, recordFor } from './fixtures';

describe('Class: FileReportSink', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-sink-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the folder and names the file after the UTC start, service and kind', () => {
    // Prepare
    const sink = new FileReportSink(path.join(dir, 'deployment-reports'));

    // Act
    const written = sink.write(recordFor(SUCCEEDED_DEPLOY), '# report\n');

    // Assess
    expect(written).toBe(path.join(dir, 'deployment-reports', 'deployment-20250121-143022-backend-deploy.md'));
    expect(fs.readFileSync(written!, 'utf8')).toBe('# report\n');
  });

  it('never overwrites: a second report with the same name gets a numbered suffix', () => {
    // Prepare
    const sink = new FileReportSink(dir);
    const record = recordFor(ROLLED_BACK_DEPLOY, { kind: 'rollback' });

    // Act
    const first = sink.write(record, 'first');
    const second = sink.write(record, 'second');

    // Assess
    expect(path.basename(first!)).toBe('deployment-20250121-150405-backend-rollback.md');
    expect(path.basename(second!)).toBe('deployment-20250121-150405-backend-rollback-2.md');
    expect(fs.readFileSync(first!, 'utf8')).toBe('first');
  });

  it('keeps a strange service name inside the folder', () => {
    // Act
    const written = new FileReportSink(dir).write(recordFor(SUCCEEDED_DEPLOY, { service: '../../etc/passwd' }), 'x');

    // Assess
    expect(path.dirname(written!)).toBe(dir);
    expect(path.basename(written!)).toBe('deployment-20250121-143022-etc-passwd-deploy.md');
  });

  it('returns null and keeps the error when the folder cannot be created', () => {
    // Prepare: a file where the folder should be
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const sink = new FileReportSink(path.join(blocked, 'reports'));

    // Act
    const written = sink.write(recordFor(SUCCEEDED_DEPLOY), '# report');

    // Assess
    expect(written).toBeNull();
    expect(sink.lastError).toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
  });
});
