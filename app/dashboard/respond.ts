import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Html } from "./render/html.ts";
import { STYLE } from "./style.ts";

/** The inline stylesheet is allowed by its hash; nothing else runs or loads. */
const STYLE_HASH = `sha256-${createHash("sha256").update(STYLE).digest("base64")}`;

const SECURITY_HEADERS = {
  "content-security-policy": `default-src 'none'; style-src '${STYLE_HASH}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // The OAuth code and the dashboard's own URLs never leak to linked sites.
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export function sendPage(response: ServerResponse, status: number, page: Html, cookies: string[] = []): void {
  response
    .writeHead(status, {
      ...SECURITY_HEADERS,
      "content-type": "text/html; charset=utf-8",
      ...(cookies.length ? { "set-cookie": cookies } : {}),
    })
    .end(page.text);
}

export function redirect(response: ServerResponse, location: string, cookies: string[] = []): void {
  response
    .writeHead(303, { ...SECURITY_HEADERS, location, ...(cookies.length ? { "set-cookie": cookies } : {}) })
    .end();
}
