/** Where the local GitHub answers: the API and the web (and git) addresses are one server, like GHES without `/api/v3`. */
export interface Urls {
  api: string;
  html: string;
}
