// `npm run demo`: scenario 1 of issue 7 on this machine (see demo/run-demo.ts). Needs Docker: the
// engine is started (installed first when root and missing) and the sandbox images built if needed.
import { prepareDocker } from "./docker-setup.ts";
import { runDemo } from "./run-demo.ts";

async function main(): Promise<number> {
  if (!prepareDocker()) return 1;
  const result = await runDemo();
  if (!result.prOpened) {
    console.error("\ndemo: FAILED, no pull request was opened (the runner's log is above)");
    return 1;
  }
  console.log(`\ndemo: done, PR #${result.prNumber} opened; servers closed and sandboxes removed`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("demo: FAILED:", error);
    process.exit(1);
  },
);
