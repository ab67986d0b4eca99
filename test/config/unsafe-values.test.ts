import { parseConfig } from '../../src/config/load';
import { configWith, issuesOf } from './helpers';

describe('Config: URLs', () => {
  it.each([
    ['file:///etc/passwd'],
    ['javascript:alert(1)'],
    ['gopher://api.example.com/'],
    ['ftp://api.example.com/'],
    ['http://api.example.com'],
  ])('refuses %s as a baseUrl, naming the key', (url) => {
    expect(issuesOf(configWith([`baseUrl: "${url}"`]))).toEqual(['services.backend.baseUrl: must be https']);
  });

  it('accepts an https baseUrl, and plain http only on the loopback address (a local simulator)', () => {
    expect(issuesOf(configWith(['baseUrl: https://api.example.com']))).toEqual([]);
    expect(issuesOf(configWith(['baseUrl: http://127.0.0.1:8080']))).toEqual([]);
    expect(issuesOf(configWith(['baseUrl: http://localhost:8080']))).toEqual([]);
    expect(issuesOf(configWith(['baseUrl: http://127.0.0.1.example.com']))).toEqual([
      'services.backend.baseUrl: must be https',
    ]);
  });

  it('refuses a repositoryUrl, httpUrl or corsOrigin that is not http(s), each by its key', () => {
    const issues = issuesOf(
      configWith([
        'repositoryUrl: "javascript:alert(document.cookie)"',
        'smoke:',
        '  httpUrl: "gopher://api.example.com:70/"',
        '  corsOrigin: "data:text/html,hi"',
      ]),
    );
    expect(issues.sort()).toEqual([
      'services.backend.repositoryUrl: must be an http(s) URL',
      'services.backend.smoke.corsOrigin: must be an http(s) URL',
      'services.backend.smoke.httpUrl: must be an http(s) URL',
    ]);
  });

  it.each([
    ['baseUrl: https://127.0.0.1@evil.example', 'services.backend.baseUrl'],
    ['baseUrl: "https://user:secret@api.example.com"', 'services.backend.baseUrl'],
    ['repositoryUrl: https://github.com@evil.example/example/backend', 'services.backend.repositoryUrl'],
    ['smoke: { testBaseUrl: "https://api.example.com:443@evil.example" }', 'services.backend.smoke.testBaseUrl'],
  ])('refuses a URL with a user name or password before the host: %s', (line, key) => {
    expect(issuesOf(configWith([line]))).toEqual([
      `${key}: must not carry a user name or password before the host (user@host): the host is what follows the @`,
    ]);
  });

  it('accepts plain http where it is the point: the HTTPS-enforcement probe', () => {
    const config = parseConfig(
      configWith([
        'baseUrl: https://api.example.com',
        'smoke: { httpUrl: "http://api.example.com/api/v1/health/live" }',
      ]),
    );
    expect(config.services.backend.smoke.httpUrl).toBe('http://api.example.com/api/v1/health/live');
  });
});

describe('Config: service names and map keys', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses a service named %s instead of dropping it', (name) => {
    expect(issuesOf(configWith([], [], name))).toEqual([`services.${name}: not allowed as a key`]);
  });

  it('refuses prototype keys at any depth, naming where', () => {
    const issues = issuesOf(configWith(['smoke:', '  severity:', '    __proto__: warn', '    constructor: fail']));
    expect(issues).toEqual([
      'services.backend.smoke.severity.__proto__: not allowed as a key',
      'services.backend.smoke.severity.constructor: not allowed as a key',
    ]);
  });

  it.each([['Backend'], ['9lives'], ['back_end'], ['a'.repeat(41)]])(
    'refuses the service name %s and says what a name may be',
    (name) => {
      const issues = issuesOf(configWith([], [], name));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(new RegExp(`^services\\.${name}: service names are lowercase letters, digits and -`));
    },
  );

  it('accepts lowercase names with digits and dashes up to 40 characters', () => {
    const name = `a${'-b2'.repeat(13)}`;
    expect(name).toHaveLength(40);
    expect(Object.keys(parseConfig(configWith([], [], name)).services)).toEqual([name]);
  });
});
