import { describe, expect, it } from "vitest";
import { compileGlob, compileGlobs, GLOB_LIMITS, globProblem, pathTooLong } from "../../core/glob.ts";

/** [pattern, path, protected?]: what a repository's protectedPaths entry covers. */
const MATCHES: [string, string, boolean][] = [
  [".github/workflows/**", ".github/workflows/ci.yml", true],
  [".github/workflows/**", ".github/workflows/deep/x.yml", true],
  [".github/workflows/**", ".github/workflows", true],
  [".github/workflows/**", ".github/workflowsx/a.yml", false],
  [".github/workflows/**", "src/.github/workflows/ci.yml", false],
  // A directory protects what is inside it, with or without `/` or `/**`.
  [".github/workflows", ".github/workflows/ci.yml", true],
  [".github/workflows/", ".github/workflows/x/y.yml", true],
  // Alternatives and classes: the old hand-written matcher never matched these.
  [".github/{workflows,actions}/**", ".github/actions/setup/action.yml", true],
  [".github/{workflows,actions}/**", ".github/workflows/ci.yml", true],
  [".github/{workflows,actions}/**", ".github/other/x.yml", false],
  ["{a,{b,c}}/x", "c/x", true],
  ["[abc]x/**", "bx/file", true],
  ["[abc]x/**", "dx/file", false],
  ["secrets/[!.]*", "secrets/key", true],
  ["secrets/[!.]*", "secrets/.hidden", false],
  ["secrets/[^.]*", "secrets/.hidden", false],
  ["logs/[[:digit:]]*.log", "logs/7a.log", true],
  ["logs/[[:digit:]]*.log", "logs/a7.log", false],
  // A pattern without a slash matches a name at any depth, like gitignore.
  ["*.pem", "server.pem", true],
  ["*.pem", "certs/deep/server.pem", true],
  ["*.pem", "certs/server.pem.txt", false],
  ["*.{pem,key}", "certs/a.key", true],
  ["build", "src/build/out.js", true],
  ["deploy/", "infra/deploy/key.txt", true],
  // A leading slash (or ./) anchors it at the root.
  ["/build", "build/out.js", true],
  ["/build", "src/build/out.js", false],
  ["./config/prod.yml", "config/prod.yml", true],
  ["config/*.yml", "config/prod.yml", true],
  ["config/*.yml", "config/a/prod.yml", false],
  ["**/*.key", "a/b/c.key", true],
  ["**/*.key", "c.key", true],
  ["src/**/generated/**", "src/generated/a.ts", true],
  ["src/**/generated/**", "src/x/y/generated/a.ts", true],
  ["src/**/generated/**", "srcx/generated/a.ts", false],
  ["a/**/b", "a/b", true],
  ["a/**/b", "a/x/y/b", true],
  ["a/**/b", "a/x/bb", false],
  // Dot names are matched by * and ?: a protected path fails closed.
  ["*", ".env", true],
  ["config/*", "config/.secrets", true],
  ["?.txt", "a.txt", true],
  ["?.txt", "ab.txt", false],
  // Escapes, case and non-ASCII names.
  ["file\\[1\\].txt", "file[1].txt", true],
  ["file\\[1\\].txt", "file1.txt", false],
  ["\\*.txt", "*.txt", true],
  ["\\*.txt", "a.txt", false],
  [".GitHub/workflows/**", ".github/workflows/ci.yml", false],
  ["über/**", "über/straße.txt", true],
];

/** [pattern, what the refusal says]: a misread or slow pattern is a config error naming the fix. */
const REFUSED: [string, RegExp][] = [
  ["!docs/**", /negated patterns are not supported/],
  ["/", /names no path/],
  ["a//b", /empty path segment/],
  ["../etc/**", /'\.\.' segment/],
  ["a**b/**", /'\*\*' inside the segment 'a\*\*b'/],
  ["*secret*", /2 '\*' in the segment '\*secret\*'; a segment may hold at most 1/],
  ["{*a,b}*", /2 '\*'/],
  ["**a**a**a**a**a**a**a**a**b", /'\*\*' inside the segment/],
  ["*a*a*a*a*a*a*a*a*a*a*b", /11 '\*'/],
  ["+(a|b)", /'\(', which picomatch reads as a regular-expression group; use \{a,b\}/],
  ["a|b", /'\|'/],
  ["[abc", /'\[' without its '\]'/],
  ["{a,b", /'\{' without its '\}'/],
  ["{1..5}.log", /\{a\.\.b\} range, which is not supported/],
  ["{a/b,c}/**", /'\/' inside \{…\} or \[…\]/],
  [`${"a".repeat(GLOB_LIMITS.patternChars)}x`, /257 characters long; a pattern may have at most 256/],
  ["{a,b,c,d,e,f,g,h}/{a,b,c,d,e,f,g,h}/{a,b,c,d,e,f,g,h}/{a,b,c,d,e,f,g,h}/x", /33 segment tests/],
  ["{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}", /64 segment tests/],
];

describe("protected-path globs", () => {
  it.each(MATCHES)("%s against %s is %s", (pattern, path, expected) => {
    expect(compileGlob(pattern).matches(path)).toBe(expected);
  });

  it.each(REFUSED)("refuses %s", (pattern, message) => {
    expect(globProblem(pattern)).toMatch(message);
    expect(() => compileGlob(pattern)).toThrow(message);
  });

  it("accepts one star per {…} alternative and the usual patterns", () => {
    for (const pattern of ["{*.pem,*.key}", ".github/workflows/**", "**/*.pem", "src/**/generated/**"]) {
      expect({ pattern, problem: globProblem(pattern) }).toEqual({ pattern, problem: undefined });
    }
  });

  it("names the first pattern that protects a path", () => {
    const protectedBy = compileGlobs(["docs/**", "*.pem", "docs/keys/*.pem"]);
    expect(protectedBy("docs/keys/a.pem")).toBe("docs/**");
    expect(protectedBy("src/a.pem")).toBe("*.pem");
    expect(protectedBy("src/a.ts")).toBeUndefined();
  });

  it("refuses to match a path no file system holds, so the caller refuses it", () => {
    const long = `a/${"b".repeat(256)}`;
    expect(pathTooLong(long)).toBe(true);
    expect(pathTooLong(Array(2049).fill("a").join("/"))).toBe(true);
    expect(pathTooLong(`a/${"b".repeat(255)}`)).toBe(false);
    expect(() => compileGlob("**").matches(long)).toThrow(/refuse it before matching/);
  });
});
