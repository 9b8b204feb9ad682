import { type ExpressionContext, evaluateValue } from "./expressions.ts";

/**
 * A job's `strategy.matrix` as GitHub expands it: each key a list (written out, or one `${{ }}`
 * expression such as `fromJSON(...)` that yields one), the jobs every combination of them. A key
 * that is not a list fails the run on GitHub ("Matrix vector ... does not contain any values"), so
 * it is an error here. `include`/`exclude` are not modelled and are refused.
 * https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow
 */
export function expandMatrix(
  matrix: Record<string, unknown> | undefined,
  context: ExpressionContext,
): Record<string, string>[] {
  if (!matrix) return [{}];
  let combinations: Record<string, string>[] = [{}];
  for (const [key, raw] of Object.entries(matrix)) {
    if (key === "include" || key === "exclude") {
      throw new Error(`the local GitHub does not expand matrix ${key}; write the combinations as lists`);
    }
    const values = evaluateValue(raw, context);
    if (!Array.isArray(values) || values.length === 0) {
      throw new Error(`Matrix vector '${key}' does not contain any values`);
    }
    combinations = combinations.flatMap((combination) =>
      values.map((value) => ({
        ...combination,
        [key]: typeof value === "string" ? value : JSON.stringify(value),
      })),
    );
  }
  return combinations;
}
