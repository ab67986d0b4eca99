/** The pipeline as `status` and `/status` word it: how far production lags, read as a sentence. */
import { createStyle } from '../../src/cli/format-common';
import { formatPipeline } from '../../src/cli/format-pipeline';
import type { Pipeline } from '../../src/engine/promotion/model';
import { pipelineLines } from '../../src/slack/views/promotion';

const verified = {
  service: 'backend-staging',
  deployId: 'd-1',
  at: '2026-11-25T10:00:00.000Z',
  by: { id: 'U0ALICE', name: 'alice', via: 'slack' as const },
};

function pipeline(behindBy: number | null, behindUnknown: string | null = null): Pipeline {
  return {
    stages: [
      { service: 'backend-staging', sha: '4174f4d', digest: `sha256:${'e'.repeat(64)}`, verified },
      { service: 'backend', sha: '6907378', digest: `sha256:${'f'.repeat(64)}`, verified: null },
    ],
    behindBy,
    behindUnknown,
  };
}

/** The last line of each surface: the terminal's (indented) and Slack's. */
function lag(p: Pipeline): [string, string] {
  return [formatPipeline(p, createStyle(false)).at(-1)!.trim(), pipelineLines(p).at(-1)!];
}

describe('the pipeline lag, in the terminal and in Slack', () => {
  it('says how many commits production lacks', () => {
    expect(lag(pipeline(7))).toEqual(Array(2).fill('backend is behind backend-staging by 7 commits'));
    expect(lag(pipeline(1))).toEqual(Array(2).fill('backend is behind backend-staging by 1 commit'));
  });

  it('says production lacks nothing, rather than "behind by 0 commits"', () => {
    expect(lag(pipeline(0))).toEqual(Array(2).fill('backend has every commit of backend-staging'));
  });

  it('says the lag is unknown, and why, as a sentence', () => {
    expect(lag(pipeline(null, 'GitHub unreachable'))).toEqual(
      Array(2).fill('how far backend is behind backend-staging is unknown (GitHub unreachable)'),
    );
  });
});
