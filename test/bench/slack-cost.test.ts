import { slackCost } from '../../bench/src/detection';
import type { SlackApiCall } from '../../bench/src/fake-slack';

describe('slackCost', () => {
  it('counts Web API calls by method, leaving out response_url posts, file bodies and auth.test', () => {
    const calls: SlackApiCall[] = [
      { method: 'auth.test', at: 0 },
      { method: 'chat.postMessage', at: 10, ts: '1.1' },
      { method: 'respond', at: 20 },
      { method: 'upload', at: 30 },
      { method: 'chat.update', at: 1100, ts: '1.1' },
    ];
    const cost = slackCost(calls);
    expect(cost.byMethod).toEqual({ 'chat.postMessage': 1, 'chat.update': 1 });
    expect(cost.total).toBe(2);
  });

  it('reports the most updates of one message within a second, per message', () => {
    const calls: SlackApiCall[] = [
      { method: 'chat.update', at: 0, ts: 'A' },
      { method: 'chat.update', at: 400, ts: 'A' },
      { method: 'chat.update', at: 100, ts: 'B' },
      { method: 'chat.update', at: 1500, ts: 'A' },
    ];
    expect(slackCost(calls).maxUpdatesPerMessagePerSecond).toBe(2);
  });
});
