/**
 * Which changed files are tests (held out from the agent) and which are code (the reference). The
 * default patterns cover the usual layouts: test/, tests/, __tests__/, spec/ folders and
 * *.test.*, *.spec.*, *_test.*, test_*.py files. `--test-paths` replaces them.
 */
import picomatch from "picomatch";

export const DEFAULT_TEST_PATTERNS = [
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "**/spec/**",
  "**/*.test.*",
  "**/*.spec.*",
  "**/*_test.*",
  "**/test_*.py",
];

export type PathClassifier = (path: string) => "test" | "code";

export function testPathClassifier(patterns: string[] = DEFAULT_TEST_PATTERNS): PathClassifier {
  const isTest = picomatch(patterns, { dot: true });
  return (path) => (isTest(path) ? "test" : "code");
}
