/**
 * Splits one output stream of the persistent shell into the command's bytes and the shell's own
 * marker lines (`<nonce>:<fields...>\n`). The nonce is random per sandbox, and a marker may start
 * mid-line because a command's output need not end with a newline.
 */
export class MarkerScanner {
  private readonly nonce: Buffer;
  private carry: Buffer = Buffer.alloc(0);

  constructor(
    nonce: string,
    private readonly onData: (chunk: Buffer) => void,
    private readonly onMarker: (fields: string[]) => void,
  ) {
    this.nonce = Buffer.from(`${nonce}:`);
  }

  push(chunk: Buffer): void {
    let buffer = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    while (buffer.length > 0) {
      const start = buffer.indexOf(this.nonce);
      if (start === -1) {
        // Hold back a tail that could be the beginning of a nonce split across chunks.
        const keep = Math.min(buffer.length, this.nonce.length - 1);
        const cut = this.partialNonceStart(buffer, keep);
        if (cut > 0) this.onData(buffer.subarray(0, cut));
        this.carry = Buffer.from(buffer.subarray(cut));
        return;
      }
      if (start > 0) this.onData(buffer.subarray(0, start));
      const end = buffer.indexOf(10, start + this.nonce.length);
      if (end === -1) {
        this.carry = Buffer.from(buffer.subarray(start));
        return;
      }
      const line = buffer.toString("utf8", start + this.nonce.length, end);
      buffer = buffer.subarray(end + 1);
      this.onMarker(line.split(":"));
    }
  }

  /** Index from which the buffer's end might be a prefix of the nonce (buffer.length if none). */
  private partialNonceStart(buffer: Buffer, keep: number): number {
    for (let length = keep; length > 0; length--) {
      const from = buffer.length - length;
      if (buffer.subarray(from).equals(this.nonce.subarray(0, length))) return from;
    }
    return buffer.length;
  }
}
