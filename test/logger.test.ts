import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';
import { slackErrorCode } from '../src/slack/slack-client';

/** A logger writing to memory; `text()` is everything it wrote. */
function memoryLogger() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), text: () => chunks.join('') };
}

describe('the process logger keeps secrets out of the logs', () => {
  it('blanks tokens, signing secrets, passwords and authorization headers wherever the paths name them', () => {
    const { logger, text } = memoryLogger();
    logger.info(
      {
        token: 'xoxb-1111-S3CR3T',
        botToken: 'xoxb-2222-S3CR3T',
        appToken: 'xapp-3333-S3CR3T',
        signingSecret: 'sign-4444-S3CR3T',
        slack: { token: 'xoxb-5555-S3CR3T', signingSecret: 'sign-6666-S3CR3T' },
        headers: { authorization: 'Bearer xoxb-7777-S3CR3T' },
        req: { headers: { authorization: 'Bearer xoxb-8888-S3CR3T' } },
        aws: { secretAccessKey: 'aws-9999-S3CR3T', sessionToken: 'aws-0000-S3CR3T' },
        db: { password: 'pw-1212-S3CR3T' },
      },
      'starting',
    );
    const line = text();
    expect(line).not.toMatch(/S3CR3T/);
    expect(line).toContain('[redacted]');
    expect(JSON.parse(line)).toMatchObject({ msg: 'starting', slack: { token: '[redacted]' } });
  });

  it('an error is logged under `err` with its message and stack, and a Slack failure by its short code', () => {
    const { logger, text } = memoryLogger();
    const slackFailure = Object.assign(new Error('An API error occurred: channel_not_found'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'channel_not_found' },
    });
    logger.warn({ err: new Error('disk full') }, 'could not audit a refusal');
    logger.warn({ err: slackErrorCode(slackFailure) }, 'cannot update the approval message');
    const [first, second] = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { err: unknown });
    expect(first.err).toMatchObject({
      type: 'Error',
      message: 'disk full',
      stack: expect.stringContaining('disk full'),
    });
    expect(second.err).toBe('channel_not_found');
  });
});
