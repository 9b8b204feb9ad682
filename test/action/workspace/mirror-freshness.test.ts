import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { updateMirror, withMirror } from "../../../action/workspace/mirror.ts";
import { createOrigin, sh } from "./origin.ts";

const auth = gitAuth("t");

async function mirrorWithOrigin() {
  const origin = await createOrigin({ "a.txt": "a\n" });
  const cacheDir = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
  const options = { cacheDir, owner: "o", name: "r", remoteUrl: origin.url, auth };
  const mirror = await updateMirror(options);
  return { origin, options, mirror };
}

const mainOf = (mirror: string) => sh(mirror, "rev-parse", "refs/heads/main").trim();

describe("mirror freshness", () => {
  it("uses the mirror as it is when it was fetched after the task was asked for", async () => {
    const { origin, options, mirror } = await mirrorWithOrigin();
    const before = mainOf(mirror);
    const askedBeforeTheFetch = new Date(Date.now() - 60_000);
    await origin.commit({ "b.txt": "b\n" }, "pushed after the fetch");
    await withMirror(
      { ...options, freshness: { since: askedBeforeTheFetch, refs: ["refs/heads/main"] } },
      async () => undefined,
    );
    expect(mainOf(mirror)).toBe(before);
  });

  it("fetches when the task was asked for after the last fetch", async () => {
    const { origin, options, mirror } = await mirrorWithOrigin();
    const newer = await origin.commit({ "b.txt": "b\n" }, "pushed before the request");
    await withMirror(
      { ...options, freshness: { since: new Date(Date.now() + 1), refs: ["refs/heads/main"] } },
      async () => undefined,
    );
    expect(mainOf(mirror)).toBe(newer);
  });

  it("fetches when a commit the task knows (a PR head) is not the mirror's, however fresh", async () => {
    const { origin, options, mirror } = await mirrorWithOrigin();
    const head = await origin.commit({ "b.txt": "b\n" }, "the PR's head", "feature");
    const freshness = {
      since: new Date(Date.now() - 60_000),
      refs: ["refs/heads/main", "refs/heads/feature"],
      expect: { "refs/heads/feature": head },
    };
    await withMirror({ ...options, freshness }, async () => undefined);
    expect(sh(mirror, "rev-parse", "refs/heads/feature").trim()).toBe(head);
  });

  it("fetches when a ref the task needs is missing", async () => {
    const { origin, options, mirror } = await mirrorWithOrigin();
    await origin.commit({ "b.txt": "b\n" }, "a new branch", "topic");
    const freshness = { since: new Date(Date.now() - 60_000), refs: ["refs/heads/topic"] };
    await withMirror({ ...options, freshness }, async () => undefined);
    expect(sh(mirror, "branch", "--list", "topic").trim()).toBe("topic");
  });

  it("keeps what a fetch brings as one pack, not as loose objects", async () => {
    const { origin, options, mirror } = await mirrorWithOrigin();
    await origin.commit({ "b.txt": "b\n", "c.txt": "c\n" }, "three new objects and a tree");
    await updateMirror(options);
    const loose = (await readdir(join(mirror, "objects"))).filter((name) => /^[0-9a-f]{2}$/.test(name));
    expect(loose).toEqual([]);
  });
});
