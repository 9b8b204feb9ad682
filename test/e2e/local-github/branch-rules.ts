import type { RouteContext } from "./context.ts";
import { isAncestor, runGit } from "./git-repos.ts";
import { type PushContext, type PushRefusal, type PushRule, type RefUpdate, ZERO_SHA } from "./push-gate.ts";
import type { RepoRecord } from "./state.ts";

/**
 * Branch protection rules and rulesets, enforced on git pushes with the text GitHub prints.
 *
 * Sources for what each rule refuses: "About protected branches" (require a pull request, require
 * signed commits, force pushes and deletions blocked unless allowed,
 * https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches)
 * and "Available rules for rulesets" (the same rules plus restrict creations and updates,
 * https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets).
 * A commit is "Verified" only when its signature checks out against a key GitHub knows; commits
 * GitHub makes itself (web edits, `createCommitOnBranch`) are signed by GitHub ("About commit
 * signature verification", https://docs.github.com/en/authentication/managing-commit-signature-verification/about-commit-signature-verification),
 * so here exactly the commits the local GitHub created are verified (`GitHubState.signedCommits`).
 *
 * Sources for the text, as GitHub prints it to `git push` (quoted in public bug reports):
 * - branch protection: `remote: error: GH006: Protected branch update failed for refs/heads/alpha.`,
 *   `remote: `, `remote: - Cannot force-push to this branch`, then
 *   `! [remote rejected] alpha -> alpha (protected branch hook declined)` (bcgov/bcparks.ca#1631,
 *   2025; `- Changes must be made through a pull request.` in foundry-rs/block-explorers#110).
 * - rulesets: `remote: error: GH013: Repository rule violations found for refs/heads/main.`,
 *   `remote: Review all repository rules at https://github.com/<o>/<r>/rules?ref=refs%2Fheads%2Fmain`,
 *   `remote: `, `remote: - Changes must be made through a pull request.`, and for signatures
 *   `remote: - Commits must have verified signatures.`, `remote:   Found 1 violation:`, `remote: `,
 *   `remote:   <sha>`, then `! [remote rejected] HEAD -> x (push declined due to repository rule
 *   violations)` (henne49/dbus-opendtu#235, vercel/sandbox#169, gleam-lang/gleam#6080).
 */
export interface BranchProtection {
  requirePullRequest?: boolean;
  requireSignedCommits?: boolean;
  /** Off by default, as on GitHub: a protected branch refuses force pushes. */
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
}

export type RulesetRule =
  | "pull_request"
  | "required_signatures"
  | "non_fast_forward"
  | "deletion"
  | "creation"
  | "update";

export interface Ruleset {
  name: string;
  /** `refs/heads/...` patterns (`*` within a segment, `**` across), `~DEFAULT_BRANCH` or `~ALL`. */
  include: string[];
  rules: RulesetRule[];
  /** The App is on the bypass list. */
  bypassApp?: boolean;
}

export const PROTECTED_BRANCH_REASON = "protected branch hook declined";
export const RULESET_REASON = "push declined due to repository rule violations";

const TEXT = {
  pullRequest: "Changes must be made through a pull request.",
  signatures: "Commits must have verified signatures.",
  forcePush: "Cannot force-push to this branch",
  deletion: "Cannot delete this branch",
  creation: "Cannot create ref due to creations being restricted.",
  update: "Cannot update this protected ref.",
};

function refPattern(pattern: string): RegExp {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`);
}

interface UpdateFacts {
  created: boolean;
  deleted: boolean;
  forced: boolean;
  /** Commits this push adds to the repository that GitHub would not call Verified. */
  unsigned: string[];
}

export class BranchRules {
  private readonly protections = new Map<RepoRecord, Map<string, BranchProtection>>();
  private readonly rulesets = new Map<RepoRecord, Ruleset[]>();

  constructor(private readonly ctx: RouteContext) {}

  /** A classic branch protection rule; `pattern` names branches (`main`, `release/*`). */
  protect(repo: RepoRecord, pattern: string, protection: BranchProtection): void {
    const rules = this.protections.get(repo) ?? new Map<string, BranchProtection>();
    rules.set(pattern, protection);
    this.protections.set(repo, rules);
  }

  addRuleset(repo: RepoRecord, ruleset: Ruleset): void {
    this.rulesets.set(repo, [...(this.rulesets.get(repo) ?? []), ruleset]);
  }

  /** The push rule: branch protection first (GH006), then rulesets (GH013). */
  pushRule(): PushRule {
    return async (push, update) => {
      if (!update.ref.startsWith("refs/heads/")) return undefined;
      const facts = await this.facts(push, update);
      return this.protectionRefusal(push, update, facts) ?? this.rulesetRefusal(push, update, facts);
    };
  }

  /**
   * Why a commit made through the API (`createCommitOnBranch`, signed by GitHub, never forced) may
   * not land on `branch`, in the words GitHub uses for the API ("Repository rule violations found",
   * as quoted in satisfactory-factories/application#67), or undefined when it may.
   */
  apiCommitRefusal(repo: RepoRecord, branch: string, caller: PushContext["caller"]): string | undefined {
    const ref = `refs/heads/${branch}`;
    const facts: UpdateFacts = { created: false, deleted: false, forced: false, unsigned: [] };
    const push = { repo, caller };
    const rules = (lines: string[]) =>
      lines.filter((line) => line.startsWith("- ")).map((line) => line.slice(2));
    const protection = rules(this.protectionViolations(push, ref, facts));
    if (protection.length > 0)
      return `Protected branch update failed for ${ref}.\n\n${protection.join("\n\n")}`;
    const rulesets = rules(this.rulesetViolations(push, ref, facts));
    if (rulesets.length > 0) return `Repository rule violations found\n\n${rulesets.join("\n\n")}\n\n`;
    return undefined;
  }

  private async facts(push: PushContext, update: RefUpdate): Promise<UpdateFacts> {
    const created = update.before === ZERO_SHA;
    const deleted = update.after === ZERO_SHA;
    const gitDir = push.repo.gitDir;
    const forced = !created && !deleted && !(await isAncestor(gitDir, update.before, update.after));
    const unsigned = deleted
      ? []
      : (await runGit(["-C", gitDir, "rev-list", update.after, "--not", "--all"]))
          .toString("utf8")
          .split("\n")
          .filter((sha) => sha && !this.ctx.state.signedCommits.has(sha));
    return { created, deleted, forced, unsigned };
  }

  private protectionFor(repo: RepoRecord, ref: string): BranchProtection | undefined {
    const branch = ref.slice("refs/heads/".length);
    for (const [pattern, protection] of this.protections.get(repo) ?? []) {
      if (refPattern(pattern).test(branch)) return protection;
    }
    return undefined;
  }

  private protectionViolations(push: PushContext, ref: string, facts: UpdateFacts): string[] {
    const rule = this.protectionFor(push.repo, ref);
    if (!rule || facts.created) return [];
    const violations: string[] = [];
    if (facts.deleted && !rule.allowDeletions) violations.push(TEXT.deletion);
    if (facts.forced && !rule.allowForcePushes) violations.push(TEXT.forcePush);
    if (!facts.deleted && rule.requirePullRequest) violations.push(TEXT.pullRequest);
    if (rule.requireSignedCommits && facts.unsigned.length > 0) violations.push(TEXT.signatures);
    return violations.map((text) => `- ${text}`);
  }

  private protectionRefusal(
    push: PushContext,
    update: RefUpdate,
    facts: UpdateFacts,
  ): PushRefusal | undefined {
    const violations = this.protectionViolations(push, update.ref, facts);
    if (violations.length === 0) return undefined;
    return {
      reason: PROTECTED_BRANCH_REASON,
      lines: [`error: GH006: Protected branch update failed for ${update.ref}.`, "", ...violations],
    };
  }

  private rulesetsFor(push: PushContext, ref: string): Ruleset[] {
    return (this.rulesets.get(push.repo) ?? []).filter(
      (set) =>
        !(set.bypassApp && push.caller.kind === "installation") &&
        set.include.some((pattern) =>
          pattern === "~ALL"
            ? true
            : pattern === "~DEFAULT_BRANCH"
              ? ref === `refs/heads/${push.repo.defaultBranch}`
              : refPattern(pattern).test(ref),
        ),
    );
  }

  private rulesetViolations(push: PushContext, ref: string, facts: UpdateFacts): string[] {
    const rules = new Set(this.rulesetsFor(push, ref).flatMap((set) => set.rules));
    const lines: string[] = [];
    const add = (text: string, extra: string[] = []) => lines.push(`- ${text}`, ...extra, "");
    if (facts.created && rules.has("creation")) add(TEXT.creation);
    if (!facts.created && !facts.deleted && rules.has("update")) add(TEXT.update);
    if (facts.deleted && rules.has("deletion")) add(TEXT.deletion);
    if (facts.forced && rules.has("non_fast_forward")) add(TEXT.forcePush);
    if (!facts.deleted && !facts.created && rules.has("pull_request")) add(TEXT.pullRequest);
    if (rules.has("required_signatures") && facts.unsigned.length > 0) {
      const count = facts.unsigned.length;
      add(TEXT.signatures, [
        `  Found ${count} violation${count === 1 ? "" : "s"}:`,
        "",
        ...facts.unsigned.map((s) => `  ${s}`),
      ]);
    }
    return lines;
  }

  private rulesetRefusal(push: PushContext, update: RefUpdate, facts: UpdateFacts): PushRefusal | undefined {
    const violations = this.rulesetViolations(push, update.ref, facts);
    if (violations.length === 0) return undefined;
    const { repo } = push;
    const rulesUrl = `${this.ctx.urls.html}/${repo.owner.login}/${repo.name}/rules?ref=${encodeURIComponent(update.ref)}`;
    return {
      reason: RULESET_REASON,
      lines: [
        `error: GH013: Repository rule violations found for ${update.ref}.`,
        `Review all repository rules at ${rulesUrl}`,
        "",
        ...violations,
      ],
    };
  }
}
