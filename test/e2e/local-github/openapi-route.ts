import type { paths } from "@octokit/openapi-types";
import type { InstallationGrant } from "./credentials.ts";

/**
 * Route handlers are typed from GitHub's published REST description, so a route GitHub does not
 * have, a request body it would not send or a response it would not give fails the typecheck.
 */
type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

/** `"POST /repos/{owner}/{repo}/issues"`: the same spelling as Octokit's endpoint list. */
export type RouteKey = {
  [P in keyof paths]: {
    [M in keyof paths[P] & HttpMethod]: paths[P][M] extends undefined
      ? never
      : `${Uppercase<M>} ${P & string}`;
  }[keyof paths[P] & HttpMethod];
}[keyof paths];

type SplitRoute<K extends RouteKey> = K extends `${infer M} ${infer P}` ? [Lowercase<M>, P] : never;
type PathOf<K extends RouteKey> = SplitRoute<K>[1] & keyof paths;
type MethodOf<K extends RouteKey> = SplitRoute<K>[0] & keyof paths[PathOf<K>];
export type Operation<K extends RouteKey> = NonNullable<paths[PathOf<K>][MethodOf<K>]>;

type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;
/** Path parameters as they arrive on the wire: strings, named as in the route. */
export type PathParams<K extends RouteKey> = Record<ParamNames<PathOf<K>>, string>;

export type RequestBody<K extends RouteKey> =
  Operation<K> extends {
    requestBody?: { content: { "application/json": infer Body } };
  }
    ? Body
    : undefined;

type Responses<K extends RouteKey> = Operation<K> extends { responses: infer R } ? R : never;
type BodyOf<R> = R extends { content: infer C }
  ? [C] extends [never]
    ? undefined
    : C extends { "application/json": infer Body }
      ? Body
      : undefined
  : undefined;

/** One of the responses GitHub documents for the route, with its status and body shape. */
export type RouteResponse<K extends RouteKey> = {
  [S in keyof Responses<K> & number]: {
    status: S;
    body: BodyOf<Responses<K>[S]>;
    headers?: Record<string, string>;
    /** Sent instead of the JSON body when the client asked for a raw media type (`application/vnd.github.raw`). */
    raw?: { contentType: string; data: Buffer };
  };
}[keyof Responses<K> & number];

export interface RouteRequest<K extends RouteKey> {
  params: PathParams<K>;
  query: URLSearchParams;
  body: RequestBody<K>;
  /** The `Accept` header: media types such as `application/vnd.github.raw+json` change some answers. */
  accept: string;
  /** Who the request's token acts as; the router has already refused requests without one. */
  caller: Caller;
}

export type Caller =
  | { kind: "app" }
  | ({ kind: "installation"; installationId: number; login: string } & InstallationGrant)
  /** `appUser`: a user access token of the App (web flow, `ghu_`), not a personal token. */
  | { kind: "user"; login: string; appUser?: true };

export type RouteHandler<K extends RouteKey> = (
  request: RouteRequest<K>,
) => RouteResponse<K> | Promise<RouteResponse<K>>;
