#!/usr/bin/env node
'use strict';
/**
 * Turns the `ecs-chatops deploy --json` result into the GitHub Actions job summary, and hands
 * the markdown report's path to the next step (output `report_path`).
 *
 *   node job-summary.js deploy-result.json      (EXIT_CODE: the CLI's exit code)
 *
 * It never fails the job itself: the deploy step already carries the CLI's exit code.
 */
const fs = require('node:fs');

const EXIT_MEANINGS = {
  0: 'done',
  1: 'failed; the automatic rollback restored the previous release (verified)',
  2: 'bad input or configuration; nothing was changed',
  3: 'failed, and the rollback did not restore health: a person must look now',
  4: 'refused (lock held, permission or approval); nothing was changed',
};

/** Longest text put in one table cell. */
const MAX_CELL = 300;

/** One line, pipes escaped, bounded: safe inside a markdown table cell. */
function cell(value) {
  if (value === null || value === undefined || value === '') return '–';
  const text = String(value).replace(/\s+/g, ' ').trim();
  const cut = text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

/** `3m12s` between two ISO timestamps, or `–`. */
function took(startedAt, finishedAt) {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function headline(result, exitCode) {
  const what = [result && result.service, result && result.sha].filter(Boolean).join(' ');
  const outcome = (result && result.outcome) || 'no result';
  const icon = exitCode === 0 ? '✅' : exitCode === 1 ? '↩️' : exitCode === 3 ? '🚨' : '❌';
  return `## ${icon} Deploy ${cell(outcome)}${what ? `: ${cell(what)}` : ''}`;
}

function overview(result, exitCode) {
  const digest = result.digest ? String(result.digest).replace(/^(sha256:[0-9a-f]{12}).*$/, '$1…') : null;
  const rows = [
    ['Outcome', `${result.outcome} (exit ${exitCode}: ${EXIT_MEANINGS[exitCode] || 'unexpected'})`],
    ['Service', result.service],
    ['Git SHA', result.sha],
    ['Image digest', digest],
    ['Task definition', result.fromTaskDefinition || result.toTaskDefinition ? `${result.fromTaskDefinition || '–'} → ${result.toTaskDefinition || '–'}` : null],
    ['Running now', result.finalTaskDefinition],
    ['Took', took(result.startedAt, result.finishedAt)],
    ['Deploy ID', result.deployId],
  ];
  return ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)];
}

function phaseTable(phases) {
  if (!Array.isArray(phases) || phases.length === 0) return [];
  return [
    '### Phases',
    '| Phase | Status | Took | Detail |',
    '| --- | --- | --- | --- |',
    ...phases.map((p) => `| ${cell(p.name)} | ${cell(p.status)} | ${took(p.startedAt, p.finishedAt)} | ${cell(p.detail)} |`),
  ];
}

function smokeTable(smoke) {
  if (!Array.isArray(smoke) || smoke.length === 0) return [];
  return [
    '### Smoke tests',
    '| Check | Severity | Result | ms | Reason |',
    '| --- | --- | --- | --- | --- |',
    ...smoke.map((s) => `| ${cell(s.name)} | ${cell(s.severity)} | ${cell(s.status)} | ${cell(s.ms)} | ${cell(s.reason)} |`),
  ];
}

/**
 * The job summary markdown for a deploy result (`null` when the CLI printed no JSON).
 * Never throws for a malformed result: missing fields show as `–`.
 */
function renderJobSummary(result, exitCode) {
  const code = Number.isInteger(exitCode) ? exitCode : result && Number.isInteger(result.exitCode) ? result.exitCode : 3;
  if (!result || typeof result !== 'object') {
    return [
      headline(null, code),
      '',
      `ecs-chatops printed no result (exit ${code}: ${EXIT_MEANINGS[code] || 'unexpected'}). Read the step's log.`,
      '',
    ].join('\n');
  }
  const lines = [headline(result, code), ''];
  if (result.summary) lines.push(`> ${cell(result.summary)}`, '');
  lines.push(...overview(result, code), '');
  if (result.failure) lines.push(`**Failed in ${cell(result.failure.phase)}:** ${cell(result.failure.reason)}`, '');
  if (result.error) lines.push(`**Error** \`${cell(result.error.code)}\`: ${cell(result.error.message)}`, '');
  const phases = phaseTable(result.phases);
  if (phases.length) lines.push(...phases, '');
  const smoke = smokeTable(result.smoke);
  if (smoke.length) lines.push(...smoke, '');
  if (result.reportPath) lines.push(`The full report (\`${cell(result.reportPath)}\`) is attached to this run as an artifact.`, '');
  return lines.join('\n');
}

/** Reads the CLI's JSON; `null` when the file is missing, empty or not JSON. */
function readResult(path) {
  try {
    const parsed = JSON.parse(fs.readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

/** Writes the summary and the `report_path` output; returns the process exit code (always 0). */
function main(argv, env) {
  const result = readResult(argv[0] || 'deploy-result.json');
  const exitCode = env.EXIT_CODE !== undefined && env.EXIT_CODE !== '' ? Number(env.EXIT_CODE) : undefined;
  const markdown = renderJobSummary(result, exitCode);
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  else process.stdout.write(`${markdown}\n`);
  const report = result && typeof result.reportPath === 'string' ? result.reportPath : '';
  // A newline in the path could forge other outputs: only plain paths of an existing file pass.
  if (env.GITHUB_OUTPUT && report && !/[\r\n]/.test(report) && fs.existsSync(report)) {
    fs.appendFileSync(env.GITHUB_OUTPUT, `report_path=${report}\n`);
  }
  return 0;
}

module.exports = { renderJobSummary, readResult, main, EXIT_MEANINGS };

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env);
