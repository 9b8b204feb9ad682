import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "../helpers/octokit.ts";
import { LocalGitHub } from "../local-github/local-github.ts";

const WITH_ADMINISTRATION = `
name: doctor-test
default_permissions:
  metadata: read
  contents: write
  administration: read
`;

describe("local GitHub: self-hosted runners of a repository", () => {
  let plain: LocalGitHub;
  let admin: LocalGitHub;

  beforeAll(async () => {
    plain = await LocalGitHub.start({ owner: "acme" });
    admin = await LocalGitHub.start({ owner: "acme", manifest: { text: WITH_ADMINISTRATION } });
    for (const github of [plain, admin]) {
      const repo = await github.createRepo("runners", { "a.txt": "a\n" });
      github.addRunner(repo, { name: "host-1", labels: ["agent"], status: "online" });
      github.addRunner(repo, { name: "host-2", labels: ["agent"], status: "offline" });
    }
  });

  afterAll(async () => {
    await Promise.all([plain?.close(), admin?.close()]);
  });

  it("refuses an installation without Administration: read, naming the permission", async () => {
    const bot = octokitFor(plain, plain.installationToken());
    const refused = await bot.rest.actions
      .listSelfHostedRunnersForRepo({ owner: "acme", repo: "runners" })
      .catch((e) => e);
    expect(refused.status).toBe(403);
    expect(refused.response.headers["x-accepted-github-permissions"]).toBe("administration=read");
  });

  it("lists runners with their status and labels, the default ones read-only", async () => {
    const bot = octokitFor(admin, admin.installationToken());
    const { data } = await bot.rest.actions.listSelfHostedRunnersForRepo({ owner: "acme", repo: "runners" });
    expect(data.total_count).toBe(2);
    expect(data.runners.map((r) => [r.name, r.status])).toEqual([
      ["host-1", "online"],
      ["host-2", "offline"],
    ]);
    expect(data.runners[0]?.labels).toEqual([
      { id: 1, name: "self-hosted", type: "read-only" },
      { id: 2, name: "Linux", type: "read-only" },
      { id: 3, name: "X64", type: "read-only" },
      { id: 4, name: "agent", type: "custom" },
    ]);
  });
});
