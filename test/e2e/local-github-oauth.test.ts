import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalGitHub } from "./local-github/local-github.ts";
import { CODE_TTL_MS } from "./local-github/oauth-web-flow.ts";

/** The rules of the local GitHub's web flow, each tried against its HTTP endpoints. */
describe("local GitHub: sign-in with GitHub (web application flow)", () => {
  let github: LocalGitHub;
  const callback = "http://127.0.0.1:1/dashboard/auth/callback";
  let cookie = "";

  beforeAll(async () => {
    github = await LocalGitHub.start();
    github.oauth.callbackUrls = [callback];
    const widget = await github.createRepo("widget", { "README.md": "hi\n" });
    await github.createRepo("secret", { "README.md": "hi\n" });
    github.addCollaborator(widget, "alice", "read");
  });
  afterAll(() => github.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${github.url}${path}`, { redirect: "manual", headers });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${github.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const authorizePath = (extra: Record<string, string> = {}) =>
    `/login/oauth/authorize?${new URLSearchParams({ client_id: github.credentials.oauth.clientId, redirect_uri: callback, state: "st4te", ...extra })}`;
  const exchange = (fields: Record<string, string>) =>
    fetch(`${github.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({
        client_id: github.credentials.oauth.clientId,
        client_secret: github.credentials.oauth.clientSecret,
        redirect_uri: callback,
        ...fields,
      }),
    }).then((r) => r.json() as Promise<Record<string, string | number>>);

  async function codeFor(): Promise<string> {
    const answer = await get(authorizePath(), { cookie });
    const location = new URL(answer.headers.get("location")!);
    return location.searchParams.get("code")!;
  }

  it("sends a browser that is not signed in to the sign-in page, and back", async () => {
    const answer = await get(authorizePath());
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toMatch(/^\/login\?return_to=%2Flogin%2Foauth%2Fauthorize/);
  });

  it("signs in only with the user's password", async () => {
    const wrong = await post("/session", { login: "alice", password: "guess", return_to: "/" });
    expect(wrong.status).toBe(401);
    const right = await post("/session", {
      login: "alice",
      password: github.oauth.password("alice"),
      return_to: "/x",
    });
    expect(right.status).toBe(302);
    cookie = right.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toMatch(/^user_session=/);
  });

  it("answers 404 to an unknown client_id", async () => {
    expect((await get(authorizePath({ client_id: "Iv1.nope" }), { cookie })).status).toBe(404);
  });

  it("sends a redirect_uri that is not a registered callback URL to the callback with redirect_uri_mismatch", async () => {
    const answer = await get(authorizePath({ redirect_uri: "http://evil.example/steal" }), { cookie });
    const location = new URL(answer.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(callback);
    expect(location.searchParams.get("error")).toBe("redirect_uri_mismatch");
    expect(location.searchParams.get("code")).toBeNull();
  });

  it("asks for consent the first time, then redirects with a code and the state unchanged", async () => {
    const consent = await get(authorizePath(), { cookie });
    expect(consent.status).toBe(200);
    expect(await consent.text()).toContain("Authorize");
    const params = Object.fromEntries(new URL(`${github.url}${authorizePath()}`).searchParams);
    const granted = await post("/login/oauth/authorize", { ...params, authorize: "1" }, { cookie });
    const location = new URL(granted.headers.get("location")!);
    expect(location.searchParams.get("state")).toBe("st4te");
    expect(location.searchParams.get("code")).toMatch(/^[0-9a-f]{20}$/);
    // Authorized once: the next visit redirects at once.
    expect((await get(authorizePath(), { cookie })).status).toBe(302);
  });

  it("exchanges a code once, for a user access token that expires in 8 hours", async () => {
    const code = await codeFor();
    const token = await exchange({ code });
    expect(token).toMatchObject({ token_type: "bearer", expires_in: 28_800, scope: "" });
    expect(String(token.access_token)).toMatch(/^ghu_/);
    expect(await exchange({ code })).toMatchObject({ error: "bad_verification_code" });
  });

  it("refuses a wrong client secret, a changed redirect_uri and an expired code", async () => {
    expect(await exchange({ code: await codeFor(), client_secret: "wrong" })).toMatchObject({
      error: "incorrect_client_credentials",
    });
    expect(await exchange({ code: await codeFor(), redirect_uri: "http://127.0.0.1:1/other" })).toMatchObject(
      {
        error: "redirect_uri_mismatch",
      },
    );
    const code = await codeFor();
    const real = github.oauth.now;
    github.oauth.now = () => real() + CODE_TTL_MS + 1_000;
    try {
      expect(await exchange({ code })).toMatchObject({ error: "bad_verification_code" });
    } finally {
      github.oauth.now = real;
    }
  });

  it("lists installations and repositories only to a user access token, and only what the user can read", async () => {
    const { access_token } = await exchange({ code: await codeFor() });
    const auth = { authorization: `token ${access_token}`, accept: "application/vnd.github+json" };
    const installations = (await (await get("/user/installations", auth)).json()) as {
      installations: { id: number }[];
    };
    expect(installations.installations.map((i) => i.id)).toEqual([github.installation.id]);
    const repos = (await (
      await get(`/user/installations/${github.installation.id}/repositories`, auth)
    ).json()) as { repositories: { full_name: string }[] };
    expect(repos.repositories.map((r) => r.full_name)).toEqual(["acme/widget"]);
    const personal = { authorization: `token ${github.userToken("alice")}` };
    expect((await get("/user/installations", personal)).status).toBe(403);
    const installation = { authorization: `token ${github.installationToken()}` };
    expect((await get("/user/installations", installation)).status).toBe(403);
    expect((await get("/user", installation)).status).toBe(403);
    expect(((await (await get("/user", auth)).json()) as { login: string }).login).toBe("alice");
  });
});
