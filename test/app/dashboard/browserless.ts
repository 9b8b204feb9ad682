import type { LocalGitHub } from "../../e2e/local-github/local-github.ts";

/** A cookie jar per origin and a fetch that follows redirects by hand, as a browser would. */
export class FetchBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    this.jars.set(target.origin, jar);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /** GET, following redirects (303/302 → GET) up to 10 hops; returns the last response and its URL. */
  async visit(url: string): Promise<{ response: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < 10; hop++) {
      const response = await this.request(current);
      const location = response.headers.get("location");
      if (!location || response.status < 300 || response.status >= 400) return { response, url: current };
      current = new URL(location, current).toString();
    }
    throw new Error(`too many redirects from ${url}`);
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(origin, jar);
  }
}

/** Signs `login` in to the local GitHub, then into the dashboard through the web flow. */
export async function signInWithoutBrowser(
  github: LocalGitHub,
  dashboardUrl: string,
  login: string,
): Promise<FetchBrowser> {
  const browser = new FetchBrowser();
  await browser.request(`${github.url}/session`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password: github.oauth.password(login), return_to: "/" }).toString(),
  });
  let { response, url } = await browser.visit(`${dashboardUrl}/dashboard/login`);
  if (url.includes("/login/oauth/authorize") && response.status === 200) {
    // The consent page: press "Authorize".
    const params = new URL(url).searchParams;
    const granted = await browser.request(`${github.url}/login/oauth/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([...params, ["authorize", "1"]]).toString(),
    });
    ({ response, url } = await browser.visit(new URL(granted.headers.get("location")!, url).toString()));
  }
  if (!url.endsWith("/dashboard/runs")) throw new Error(`sign-in ended at ${url} (${response.status})`);
  return browser;
}
