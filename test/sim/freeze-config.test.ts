/** `sim --freeze`: the simulated world's config carries a freeze window the config schema accepts. */
import { parseConfig } from '../../src/config/load';
import { parseSimFreeze, withSimFreeze } from '../../src/sim/config-yaml';
import { startSimWorld } from '../../src/sim/index';

describe('Simulator: a freeze window in the config', () => {
  it('reads "<start>..<end> [zone]", UTC by default, and refuses text without ..', () => {
    expect(parseSimFreeze('Fri 16:00..Mon 08:00 America/New_York')).toEqual({
      start: 'Fri 16:00',
      end: 'Mon 08:00',
      timeZone: 'America/New_York',
    });
    expect(parseSimFreeze('22:00..06:00')).toEqual({ start: '22:00', end: '06:00', timeZone: 'UTC' });
    expect(parseSimFreeze('Fri 16:00 to Mon 08:00')).toBeUndefined();
  });

  it('writes the window into a config that parses, covering every simulated service', async () => {
    // Prepare
    const world = await startSimWorld({ manual: true });
    try {
      // Act
      const text = withSimFreeze(world.configYaml, parseSimFreeze('Fri 16:00..Mon 08:00 America/New_York')!);
      const config = parseConfig(text);

      // Assess
      expect(config.freezes).toEqual([
        {
          name: 'sim-freeze',
          start: 'Fri 16:00',
          end: 'Mon 08:00',
          timeZone: 'America/New_York',
          reason: 'a freeze window of the simulated world',
        },
      ]);
      expect(Object.keys(config.services)).toEqual(world.services);
    } finally {
      await world.close();
    }
  });
});
