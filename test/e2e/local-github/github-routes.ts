import { Octokit } from "@octokit/rest";

/**
 * GitHub's REST routes as Octokit ships them (every `octokit.rest.*.*` method knows its
 * `METHOD /path/{param}`). The full OpenAPI description weighs hundreds of megabytes; this list
 * is already installed and names every route a client can call.
 */
export interface GitHubRoute {
  /** `"POST /repos/{owner}/{repo}/issues"` */
  key: string;
  method: string;
  pattern: RegExp;
  paramNames: string[];
}

export interface RouteMatch {
  route: GitHubRoute;
  params: Record<string, string>;
}

function toRoute(method: string, template: string): GitHubRoute {
  const paramNames: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      paramNames.push(name);
      // `{path}` in the contents API and `{ref}` in git refs span slashes; every other parameter is one segment.
      return name === "path" || name === "ref" || name === "basehead" ? "(.+)" : "([^/]+)";
    })
    .join("");
  return { key: `${method} ${template}`, method, pattern: new RegExp(`^${source}$`), paramNames };
}

function collectRoutes(): GitHubRoute[] {
  const keys = new Set<string>();
  const rest = new Octokit().rest as unknown as Record<
    string,
    Record<string, { endpoint?: { DEFAULTS?: { method: string; url: string } } }>
  >;
  for (const scope of Object.values(rest)) {
    for (const method of Object.values(scope)) {
      const defaults = method.endpoint?.DEFAULTS;
      if (defaults) keys.add(`${defaults.method} ${defaults.url}`);
    }
  }
  return [...keys].map((key) => {
    const [method, template] = key.split(" ") as [string, string];
    return toRoute(method, template);
  });
}

let routes: GitHubRoute[] | undefined;

/** Literal segments beat parameters, so `/repos/{o}/{r}/pulls/comments` is not `/pulls/{pull_number}`. */
function specificity(route: GitHubRoute): number {
  return route.key.replace(/\{[^}]+\}/g, "").length;
}

export function githubRoutes(): GitHubRoute[] {
  routes ??= collectRoutes().sort((a, b) => specificity(b) - specificity(a));
  return routes;
}

/** The GitHub route a request is for, or undefined when GitHub has no such route. */
export function matchGitHubRoute(method: string, pathname: string): RouteMatch | undefined {
  const upper = method.toUpperCase();
  for (const route of githubRoutes()) {
    if (route.method !== upper) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1]!);
    });
    return { route, params };
  }
  return undefined;
}
