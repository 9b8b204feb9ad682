import { AsyncLocalStorage } from "node:async_hooks";

/**
 * GitHub pages a list and says where the other pages are in the `link` header: `<url>; rel="next"`,
 * `rel="last"`, and from the second page on `rel="prev"` and `rel="first"`; a list that fits one
 * page has no `link` header. The URLs keep the request's query with `page` (and `per_page`) set.
 * Source: "Using pagination in the REST API",
 * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api.
 * `paginate` (context.ts) notes the page it cut during a request; the router turns it into the header.
 */
export interface PageCut {
  page: number;
  perPage: number;
  total: number;
}

export const pageOfRequest = new AsyncLocalStorage<{ cut?: PageCut }>();

export function linkHeader(url: URL, cut: PageCut): string | undefined {
  const pages = Math.max(1, Math.ceil(cut.total / cut.perPage));
  if (pages <= 1) return undefined;
  const to = (page: number) => {
    const target = new URL(url);
    target.searchParams.set("per_page", String(cut.perPage));
    target.searchParams.set("page", String(page));
    return `<${target.toString()}>`;
  };
  const links: string[] = [];
  if (cut.page > 1) links.push(`${to(Math.min(cut.page - 1, pages))}; rel="prev"`);
  if (cut.page < pages) links.push(`${to(cut.page + 1)}; rel="next"`, `${to(pages)}; rel="last"`);
  if (cut.page > 1) links.push(`${to(1)}; rel="first"`);
  return links.join(", ");
}
