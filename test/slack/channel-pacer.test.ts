import { ChannelPacer } from '../../src/slack/channel-pacer';

describe('Class: ChannelPacer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('lets a burst through at once, then one message per second per channel, in order', async () => {
    // Prepare
    const pacer = new ChannelPacer(1, 2, () => Date.now());
    const order: number[] = [];

    // Act
    for (let i = 0; i < 5; i++) void pacer.turn('C1').then(() => order.push(i));
    await Promise.resolve();

    // Assess
    expect(order).toEqual([0, 1]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(order).toEqual([0, 1, 2]);
    await jest.advanceTimersByTimeAsync(2000);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps channels apart: a busy channel does not delay another', async () => {
    const pacer = new ChannelPacer(1, 1, () => Date.now());
    const done: string[] = [];
    void pacer.turn('C1').then(() => done.push('C1-a'));
    void pacer.turn('C1').then(() => done.push('C1-b'));
    void pacer.turn('C2').then(() => done.push('C2-a'));
    await Promise.resolve();
    expect(done).toEqual(['C1-a', 'C2-a']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(done).toEqual(['C1-a', 'C2-a', 'C1-b']);
  });
});
