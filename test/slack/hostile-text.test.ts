import { parseStop, unescapeSlack } from '../../src/slack/command-parse';
import { messageText, startHarness, USERS, waitFor, type Harness } from './helpers/harness';

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('Slack bot: hostile text in commands', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  it('/emergency-stop with a RIGHT-TO-LEFT OVERRIDE in its reason posts no approval, and the reply names it without echoing it', async () => {
    await h.command('/emergency-stop', 'backend \u202eevil reason gnisaeler', USERS.lead1);
    const answer = await waitFor(() => h.slack.responses()[0], 5000, 'the usage answer');
    const text = JSON.stringify(answer.body);
    expect(text).toMatch(/control or bidirectional characters \(U\+202E\)/);
    expect(BIDI.some((c) => text.includes(c))).toBe(false);
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
    expect((await h.fake!.approvals()).length).toBe(0);
  });

  it.each(BIDI.map((c) => [`U+${c.charCodeAt(0).toString(16).toUpperCase()}`, c]))(
    'an unknown service carrying %s is refused without echoing the character',
    async (_name, c) => {
      await h.command('/status', `back${c}end`, USERS.deployer);
      const answer = await waitFor(() => h.slack.responses()[0], 5000, 'the usage answer');
      expect(JSON.stringify(answer.body)).not.toContain(c);
    },
  );

  it('a reason Slack sent escaped (`&lt;` for `<`) is shown escaped once: `&lt;`, never `&amp;lt;`', async () => {
    // Slack escapes &, < and > in command text.
    await h.command('/emergency-stop', 'backend p99 &lt; 5s broke &amp; 500s &gt; 1%', USERS.lead1);
    const post = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const shown = messageText(post.body);
    expect(shown).toContain('p99 &lt; 5s broke &amp; 500s &gt; 1%');
    expect(shown).not.toMatch(/&amp;(lt|gt|amp);/);
    expect((await h.fake!.approvals())[0]).toMatchObject({ reason: 'p99 < 5s broke & 500s > 1%' });
  });
});

describe('unescapeSlack', () => {
  it("undoes Slack's three entities once, and nothing else", () => {
    expect(unescapeSlack('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
    // Typed `&lt;` arrives as `&amp;lt;`: it stays the text the person typed.
    expect(unescapeSlack('&amp;lt;')).toBe('&lt;');
    expect(unescapeSlack('&quot; &#60; <@U1>')).toBe('&quot; &#60; <@U1>');
  });

  it('an escaped shell character in a service name is still refused', () => {
    expect(parseStop('back&lt;end down', ['backend'])).toMatchObject({ kind: 'usage' });
  });
});
