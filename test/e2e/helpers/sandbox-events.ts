import Docker from "dockerode";

/** Docker's own container events for one repository's sandboxes (`owner/name`): started, then removed. */
export function watchSandboxes(repo: string, report: (phase: string, text: string) => void): () => void {
  let stream: NodeJS.ReadableStream | undefined;
  let stopped = false;
  const filters = {
    type: ["container" as const],
    event: ["start", "destroy"],
    label: [`inhouse.repo=${repo}`],
  };
  void new Docker().getEvents({ filters }).then((s) => {
    stream = s;
    if (stopped) (s as unknown as { destroy(): void }).destroy();
    s.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        const e = JSON.parse(line) as {
          Action: string;
          id: string;
          Actor?: { Attributes?: Record<string, string> };
        };
        const image = e.Actor?.Attributes?.image ?? "";
        if (e.Action === "start")
          report("sandbox provisioned", `container ${e.id.slice(0, 12)} started from ${image}`);
        else report("sandbox removed", `container ${e.id.slice(0, 12)}`);
      }
    });
  });
  return () => {
    stopped = true;
    (stream as unknown as { destroy(): void } | undefined)?.destroy();
  };
}
