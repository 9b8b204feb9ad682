import type { components } from "@octokit/openapi-types";
import type { RepoRecord } from "../state.ts";
import type { Urls } from "./urls.ts";
import { userShape } from "./user.ts";

export type Repository = components["schemas"]["repository"];
export type FullRepository = components["schemas"]["full-repository"];
export type MinimalRepository = components["schemas"]["minimal-repository"];

function repoUrls(repo: RepoRecord, urls: Urls) {
  const fullName = `${repo.owner.login}/${repo.name}`;
  const url = `${urls.api}/repos/${fullName}`;
  return {
    url,
    html_url: `${urls.html}/${fullName}`,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    hooks_url: `${url}/hooks`,
    git_url: `git://${new URL(urls.html).host}/${fullName}.git`,
    ssh_url: `git@${new URL(urls.html).host}:${fullName}.git`,
    clone_url: `${urls.html}/${fullName}.git`,
    svn_url: `${urls.html}/${fullName}`,
  };
}

function commonFields(repo: RepoRecord, urls: Urls) {
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: `${repo.owner.login}/${repo.name}`,
    owner: userShape(repo.owner, urls),
    private: true,
    description: null,
    fork: repo.forkOf !== undefined,
    ...repoUrls(repo, urls),
    default_branch: repo.defaultBranch,
    visibility: "private" as string,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
  };
}

export function minimalRepositoryShape(repo: RepoRecord, urls: Urls): MinimalRepository {
  return commonFields(repo, urls);
}

function repositoryFields(repo: RepoRecord, urls: Urls) {
  return {
    ...commonFields(repo, urls),
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: "private",
    mirror_url: null,
    license: null,
    allow_forking: false,
    web_commit_signoff_required: false,
    custom_properties: {},
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
  };
}

export function repositoryShape(repo: RepoRecord, urls: Urls): Repository {
  return repositoryFields(repo, urls);
}

export function fullRepositoryShape(repo: RepoRecord, urls: Urls): FullRepository {
  return {
    ...repositoryFields(repo, urls),
    network_count: 0,
    subscribers_count: 0,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: repo.createdAt,
  };
}
