// Prints the structure measures the codebase is held to (docs/design.md, "Structure"):
// the largest function and file in product code, import cycles between folders, and the size of the
// test harness (helpers and doubles, not the tests themselves) relative to the product.
// `npx tsx scripts/structure-report.ts [--json]`
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const PRODUCT_ROOTS = ["app", "action", "core", "store"];
const root = path.resolve(import.meta.dirname, "..");

function trackedFiles(prefixes: string[]): string[] {
  const out = execFileSync("git", ["ls-files", "--", ...prefixes], { cwd: root, encoding: "utf8" });
  return out.split("\n").filter((f) => /\.(ts|mts)$/.test(f) && !f.startsWith("action/dist/"));
}

function lineCount(file: string): number {
  return readFileSync(path.join(root, file), "utf8").split("\n").length;
}

interface FunctionSize {
  file: string;
  name: string;
  lines: number;
}

function functionsIn(file: string): FunctionSize[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file, name: functionName(node), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function functionName(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return "(anonymous)";
}

/** Relative imports of a file, resolved to repository paths (type-only imports count too). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s*["'](\.[^"']+)["']/g)].map(
    (m) => m[1] ?? "",
  );
  return specifiers.map((s) => path.normalize(path.join(path.dirname(file), s.replace(/\.js$/, ".ts"))));
}

/** Strongly connected components of the folder graph with more than one folder (Tarjan). */
function folderCycles(files: string[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    const from = path.dirname(file);
    for (const target of importsOf(file)) {
      const to = path.dirname(target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const strongConnect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) strongConnect(v);
  return components;
}

const product = trackedFiles(PRODUCT_ROOTS);
const harness = trackedFiles(["test"]).filter((f) => !f.endsWith(".test.ts"));
const productLines = product.reduce((n, f) => n + lineCount(f), 0);
const harnessLines = harness.reduce((n, f) => n + lineCount(f), 0);
const largestFile = product
  .map((file) => ({ file, lines: lineCount(file) }))
  .sort((a, b) => b.lines - a.lines)[0];
const largestFunctions = product
  .flatMap(functionsIn)
  .sort((a, b) => b.lines - a.lines)
  .slice(0, 5);
const cycles = folderCycles(product);
const largestFunction = largestFunctions[0];
if (!largestFile || !largestFunction) throw new Error("no product files found: run from a checkout");

const report = {
  product_files: product.length,
  product_lines: productLines,
  largest_file: `${largestFile.file} (${largestFile.lines} lines)`,
  largest_function: `${largestFunction.name} in ${largestFunction.file} (${largestFunction.lines} lines)`,
  next_largest_functions: largestFunctions.slice(1).map((f) => `${f.name} in ${f.file} (${f.lines})`),
  folder_cycles: cycles.length,
  folders_in_cycles: cycles.map((c) => c.join(" <-> ")),
  harness_lines: harnessLines,
  harness_to_product_percent: Math.round((harnessLines / productLines) * 100),
};

if (process.argv.includes("--json")) console.log(JSON.stringify(report, null, 2));
else
  for (const [key, value] of Object.entries(report))
    console.log(`${key}: ${Array.isArray(value) ? `\n  ${value.join("\n  ")}` : value}`);
