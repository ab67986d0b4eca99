/** GitHub: what a deploy ships, read from the compare API. The composition root needs only this module. */
export { createGitHubChanges, GitHubChanges, CHANGES_TIMEOUT_MS, type GitHubChangesOptions } from './changes-source';
export { GitHubClient, type GitHubAnswer, type GitHubClientOptions } from './github-client';
export { compareCommits, pullRequestOf, MAX_COMPARE_COMMITS, type Comparison } from './compare';
export {
  apiBaseFor,
  compareUrl,
  parseRepositoryUrl,
  DEFAULT_GITHUB_API_URL,
  type GitHubRepository,
} from './repository';
