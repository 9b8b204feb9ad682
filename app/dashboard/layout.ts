import { Html, html } from "./render/html.ts";
import { STYLE } from "./style.ts";

export type Section = "runs" | "repositories" | "models";

export interface Viewer {
  login: string;
  /** The logout form's CSRF token. */
  csrf: string;
}

/** The stylesheet is ours and constant; its exact bytes are what the CSP hash allows. */
const STYLESHEET = new Html(STYLE);

const SECTIONS: { id: Section; title: string }[] = [
  { id: "runs", title: "Runs" },
  { id: "repositories", title: "Repositories" },
  { id: "models", title: "Models" },
];

export function layout(title: string, body: Html, viewer?: Viewer, current?: Section): Html {
  const nav = SECTIONS.map(
    (s) =>
      html`<a href="/dashboard/${s.id}"${s.id === current ? html` aria-current="page"` : ""}>${s.title}</a>`,
  );
  const who = viewer
    ? html`<form method="post" action="/dashboard/logout"><span>Signed in as <strong>${viewer.login}</strong></span><input type="hidden" name="csrf" value="${viewer.csrf}"><button type="submit">Sign out</button></form>`
    : "";
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · inhouse</title><style>${STYLESHEET}</style></head>
<body><header><strong>inhouse</strong>${viewer ? html`<nav>${nav}</nav>` : ""}${who}</header>
<main>${body}</main></body></html>`;
}
