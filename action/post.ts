import { runPost } from "./cleanup.ts";

await runPost();
