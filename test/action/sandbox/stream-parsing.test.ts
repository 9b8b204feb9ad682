import { describe, expect, it } from "vitest";
import { FrameDemuxer } from "../../../action/sandbox/engine/stream-frames.ts";
import { MarkerScanner } from "../../../action/sandbox/marker-scanner.ts";
import { HeadTailCapture } from "../../../action/sandbox/output-capture.ts";

function frame(kind: 1 | 2, payload: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(Buffer.byteLength(payload), 4);
  return Buffer.concat([header, Buffer.from(payload)]);
}

describe("FrameDemuxer", () => {
  it("splits stdout and stderr frames even when chunks cut headers and payloads", () => {
    const seen: string[] = [];
    const demuxer = new FrameDemuxer((kind, chunk) => seen.push(`${kind}:${chunk.toString()}`));
    const wire = Buffer.concat([frame(1, "hello"), frame(2, "oops"), frame(1, "!")]);
    for (let i = 0; i < wire.length; i += 3) demuxer.push(wire.subarray(i, i + 3));
    const joined = (kind: string) =>
      seen
        .filter((s) => s.startsWith(kind))
        .map((s) => s.slice(kind.length + 1))
        .join("");
    expect(joined("stdout")).toBe("hello!");
    expect(joined("stderr")).toBe("oops");
  });
});

describe("MarkerScanner", () => {
  it("finds a marker split across chunks and mid-line, passing other bytes through", () => {
    const data: string[] = [];
    const markers: string[][] = [];
    const scanner = new MarkerScanner(
      "\u0001IHabc",
      (chunk) => data.push(chunk.toString()),
      (fields) => markers.push(fields),
    );
    const wire = "no newline at end\u0001IHabc:DONE:7:0:0\nafter \u0001IH not a marker";
    for (const piece of wire.match(/.{1,4}/gsu) ?? []) scanner.push(Buffer.from(piece));
    scanner.push(Buffer.from("\n"));
    expect(markers).toEqual([["DONE", "7", "0", "0"]]);
    expect(data.join("")).toBe("no newline at endafter \u0001IH not a marker\n");
  });
});

describe("HeadTailCapture", () => {
  it("keeps head and tail of a long stream in bounded memory and says what was cut", () => {
    const capture = new HeadTailCapture(20);
    for (let i = 0; i < 1000; i++) capture.push(Buffer.from(`${String(i).padStart(4, "0")}\n`));
    expect(capture.truncated).toBe(true);
    const text = capture.text();
    expect(text.startsWith("0000\n0001")).toBe(true);
    expect(text.endsWith("0998\n0999\n")).toBe(true);
    expect(text).toContain("[... 4980 bytes omitted");
  });

  it("returns short output whole, decoding invalid UTF-8 with replacement characters", () => {
    const capture = new HeadTailCapture(1024);
    capture.push(Buffer.from([0x61, 0xff, 0x62]));
    expect(capture.truncated).toBe(false);
    expect(capture.text()).toBe("a\uFFFDb");
  });
});
