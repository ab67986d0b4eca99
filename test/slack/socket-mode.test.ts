/** Socket Mode: the bot connects over a WebSocket (no signing secret) and serves /healthz on PORT by itself. */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { parseConfig } from '../../src/config/load';
import { silentLogger } from '../../src/logger';
import { startSlackBot } from '../../src/compose/slack';
import { FakeEngine } from './fake-engine';
import { FakeSlack } from './helpers/fake-slack';
import { CONFIG_YAML, waitFor } from './helpers/harness';

/** Accepts one WebSocket upgrade on the fake Slack's server and says `hello`, as Slack does. */
function acceptSocketMode(slack: FakeSlack, sockets: Socket[]): void {
  slack.onUpgrade((req, socket) => {
    const key = String(req.headers['sec-websocket-key']);
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const payload = Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1 }));
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
    // Answer the client's close frame (opcode 8) with one of our own, as a WebSocket peer must.
    socket.on('data', (frame: Buffer) => {
      if ((frame[0] & 0x0f) === 0x8) socket.end(Buffer.from([0x88, 0x00]));
    });
    sockets.push(socket);
  });
}

describe('Slack bot: Socket Mode', () => {
  it('connects with the app token and answers /healthz on its own small server', async () => {
    // Prepare
    const slack = await FakeSlack.start();
    const sockets: Socket[] = [];
    acceptSocketMode(slack, sockets);
    slack.answerWith('apps.connections.open', { ok: true, url: `${slack.baseUrl.replace('http', 'ws')}/link` });
    const config = parseConfig(CONFIG_YAML);
    const fake = await FakeEngine.start(CONFIG_YAML);
    // Act: no signing secret needed in Socket Mode
    const bot = await startSlackBot({
      engine: fake.engine,
      config,
      logger: silentLogger(),
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', PORT: '0', SLACK_API_URL: slack.apiUrl },
    });
    try {
      // Assess
      expect(slack.of('apps.connections.open')).toHaveLength(1);
      expect(sockets).toHaveLength(1);
      const res = await fetch(`http://127.0.0.1:${bot.port!}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', store: true, slack: true });
      expect((await fetch(`http://127.0.0.1:${bot.port!}/slack/events`, { method: 'POST' })).status).toBe(404);
    } finally {
      await bot.stop();
      // The client closes its side with a close handshake, which the fake answers: nothing stays open.
      await waitFor(() => sockets.every((s) => s.destroyed || s.writableEnded), 10_000, 'the close handshake');
      await slack.close();
      await fake.close();
    }
  });
});
