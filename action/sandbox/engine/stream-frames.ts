/**
 * Incremental parser for Docker's multiplexed attach stream (Tty: false): each frame is an 8-byte
 * header (stream type, 3 zero bytes, big-endian payload length) and the payload. Payloads are
 * handed on as slices as they arrive, so a 100 MB stream never sits in memory at once.
 */
export type StreamKind = "stdout" | "stderr";

export class FrameDemuxer {
  private header = Buffer.alloc(8);
  private headerFilled = 0;
  private remaining = 0;
  private kind: StreamKind = "stdout";

  constructor(private readonly onPayload: (kind: StreamKind, chunk: Buffer) => void) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerFilled, chunk.length - offset);
        chunk.copy(this.header, this.headerFilled, offset, offset + take);
        this.headerFilled += take;
        offset += take;
        if (this.headerFilled < 8) return;
        this.headerFilled = 0;
        this.kind = this.header[0] === 2 ? "stderr" : "stdout";
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      this.remaining -= take;
      this.onPayload(this.kind, chunk.subarray(offset, offset + take));
      offset += take;
    }
  }
}
