/** Which repository a service's repositoryUrl names, and which API answers for it. */
import { apiBaseFor, parseRepositoryUrl } from '../../src/github';

describe('repositoryUrl', () => {
  it('reads OWNER/NAME from github.com and from an Enterprise Server, with a trailing slash or .git', () => {
    expect(parseRepositoryUrl('https://github.com/acme/backend')).toEqual({
      owner: 'acme',
      name: 'backend',
      webUrl: 'https://github.com/acme/backend',
    });
    expect(parseRepositoryUrl('https://ghe.example.com/platform/api.server.git/')?.webUrl).toBe(
      'https://ghe.example.com/platform/api.server',
    );
  });

  it('refuses what names no repository', () => {
    for (const url of ['https://github.com/acme', 'https://github.com/a/b/tree/main', 'ftp://github.com/a/b', 'nope'])
      expect(parseRepositoryUrl(url)).toBeNull();
  });

  it('asks GITHUB_API_URL when set, else the public API, else the Enterprise Server’s /api/v3', () => {
    const gh = parseRepositoryUrl('https://github.com/acme/backend')!;
    const ghe = parseRepositoryUrl('https://ghe.example.com/acme/backend')!;

    expect(apiBaseFor(gh, {})).toBe('https://api.github.com');
    expect(apiBaseFor(ghe, {})).toBe('https://ghe.example.com/api/v3');
    expect(apiBaseFor(ghe, { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe(
      'https://ghe.example.com/api/v3',
    );
  });
});
