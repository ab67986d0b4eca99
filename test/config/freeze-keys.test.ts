import { parseConfig } from '../../src/config/load';
import { configWith, issuesOf } from './helpers';

const item = (lines: string[]) => lines.map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`);
const window = (lines: string[]) => ['freezes:', ...item(lines)];
const weekend = [
  'name: weekend',
  'start: "Fri 16:00"',
  'end: "Mon 08:00"',
  'timeZone: America/New_York',
  'reason: weekend',
];

describe('Config: freezes', () => {
  it('takes weekly and daily windows, with and without services, and none by default', () => {
    // Act
    const none = parseConfig(configWith());
    const some = parseConfig(
      configWith(
        [],
        [
          ...window([...weekend, 'services: [backend]']),
          ...item(['name: nights', 'start: "22:00"', 'end: "06:00"', 'timeZone: UTC', 'reason: on-call sleeps']),
        ],
      ),
    );

    // Assess
    expect(none.freezes).toEqual([]);
    expect(some.freezes).toEqual([
      {
        name: 'weekend',
        services: ['backend'],
        start: 'Fri 16:00',
        end: 'Mon 08:00',
        timeZone: 'America/New_York',
        reason: 'weekend',
      },
      { name: 'nights', start: '22:00', end: '06:00', timeZone: 'UTC', reason: 'on-call sleeps' },
    ]);
  });

  it('names the key of a bad day, a bad time, an unknown zone and an unknown service', () => {
    // Act
    const issues = issuesOf(
      configWith(
        [],
        window([
          'name: weekend',
          'services: [backend, bakend]',
          'start: "Fry 16:00"',
          'end: "Mon 25:00"',
          'timeZone: America/New_Yrok',
          'reason: weekend',
        ]),
      ),
    );

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^freezes\.0\.start: not a day and time: "Fry 16:00" \(use e\.g\. "Fri 16:00"/),
        expect.stringMatching(/^freezes\.0\.end: not a day and time: "Mon 25:00"/),
        expect.stringMatching(/^freezes\.0\.timeZone: unknown time zone "America\/New_Yrok"/),
      ]),
    );
  });

  it('names an unknown service once the window itself is valid', () => {
    const issues = issuesOf(configWith([], window([...weekend, 'services: [backend, bakend]'])));
    expect(issues).toEqual(['freezes.0.services.1: unknown service "bakend" (configured: backend)']);
  });

  it('refuses a window with a day at one end only, or ending where it starts', () => {
    const mixed = issuesOf(
      configWith([], window(['name: x', 'start: "Fri 16:00"', 'end: "08:00"', 'timeZone: UTC', 'reason: r'])),
    );
    const empty = issuesOf(
      configWith([], window(['name: x', 'start: "10:00"', 'end: "10:00"', 'timeZone: UTC', 'reason: r'])),
    );
    expect(mixed).toEqual(['freezes.0.end: start and end must both name a day, or neither']);
    expect(empty).toEqual(['freezes.0.end: end must differ from start']);
  });

  it('takes access.freeze and reserves the service name "all" for /freeze all', () => {
    expect(parseConfig(configWith([], ['access: { freeze: [U0ONCALL] }'])).access.freeze).toEqual(['U0ONCALL']);
    expect(issuesOf(configWith([], [], 'all'))).toEqual([
      'services.all: "all" is reserved: /freeze all means every service',
    ]);
  });
});
