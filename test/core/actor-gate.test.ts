import { describe, expect, it } from "vitest";
import { bareBotName, gateActor, isAllowedBot, isBotActor } from "../../core/actor-gate.ts";
import type { Permission } from "../../core/permissions.ts";

/** A permission lookup that records who was asked: bots must never be. */
function lookup(levels: Record<string, Permission>) {
  const asked: string[] = [];
  return {
    asked,
    permissionOf: async (login: string) => {
      asked.push(login);
      return levels[login] ?? "none";
    },
  };
}

describe("bots", () => {
  it("are recognised by type Bot or by the [bot] suffix in any case", () => {
    expect(isBotActor({ login: "renovate[bot]" })).toBe(true);
    expect(isBotActor({ login: "Renovate[BOT]" })).toBe(true);
    expect(isBotActor({ login: "machine-user", type: "Bot" })).toBe(true);
    expect(isBotActor({ login: "alice", type: "User" })).toBe(false);
    expect(isBotActor({ login: "bot" })).toBe(false);
  });

  it("match allowedBots with or without [bot], case-insensitively (the App and the action used to disagree)", () => {
    for (const listed of ["renovate", "renovate[bot]", "Renovate", "RENOVATE[Bot]"]) {
      expect(isAllowedBot("renovate[bot]", [listed]), listed).toBe(true);
      expect(isAllowedBot("Renovate[bot]", [listed]), listed).toBe(true);
    }
    expect(isAllowedBot("renovate-evil[bot]", ["renovate"])).toBe(false);
    expect(isAllowedBot("evil[bot]", ["renovate[bot]"])).toBe(false);
    expect(bareBotName("Dependabot[bot]")).toBe("dependabot");
  });
});

describe("gateActor", () => {
  const rules = { minimum: "write" as const, allowedBots: ["renovate"] };

  it("lets a listed bot through without asking for its repository permission", async () => {
    const people = lookup({});
    expect(await gateActor({ login: "renovate[bot]" }, rules, people.permissionOf)).toEqual({
      allowed: true,
      permission: "allowed-bot",
    });
    expect(people.asked).toEqual([]);
  });

  it("refuses an unlisted bot even when it holds admin on the repository", async () => {
    const people = lookup({ "evil[bot]": "admin" });
    expect(await gateActor({ login: "evil[bot]" }, rules, people.permissionOf)).toEqual({
      allowed: false,
      reason: "bot",
      login: "evil[bot]",
    });
    expect(people.asked).toEqual([]);
  });

  it("compares people with the minimum, at or above passes", async () => {
    const people = lookup({ alice: "maintain", bob: "triage" });
    expect(await gateActor({ login: "alice" }, rules, people.permissionOf)).toEqual({
      allowed: true,
      permission: "maintain",
    });
    expect(await gateActor({ login: "bob" }, rules, people.permissionOf)).toEqual({
      allowed: false,
      reason: "permission",
      login: "bob",
      permission: "triage",
      minimum: "write",
    });
    expect(
      await gateActor({ login: "stranger" }, { ...rules, minimum: "admin" }, people.permissionOf),
    ).toEqual(expect.objectContaining({ allowed: false, permission: "none", minimum: "admin" }));
  });
});
