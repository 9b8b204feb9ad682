/**
 * Keeps the first and last bytes of a stream of any length, in bounded memory: the head up to
 * half the cap and a rolling tail of the other half. What was cut is reported in a marker line.
 */
export class HeadTailCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(maxBytes: number) {
    this.headLimit = Math.ceil(maxBytes / 2);
    this.tailLimit = Math.floor(maxBytes / 2);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(Buffer.from(rest.subarray(0, take)));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tail.push(Buffer.from(rest.subarray(Math.max(0, rest.length - this.tailLimit))));
    this.tailBytes += Math.min(rest.length, this.tailLimit);
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()?.length ?? 0;
    }
  }

  get truncated(): boolean {
    return this.total > this.headBytes + Math.min(this.tailBytes, this.tailLimit);
  }

  /** Decoded with replacement characters, so binary and invalid UTF-8 come back safely. */
  text(): string {
    const head = Buffer.concat(this.head);
    const tailAll = Buffer.concat(this.tail);
    const tail = tailAll.subarray(Math.max(0, tailAll.length - this.tailLimit));
    const decoder = new TextDecoder("utf-8", { fatal: false });
    if (!this.truncated) return decoder.decode(Buffer.concat([head, tail]));
    const omitted = this.total - head.length - tail.length;
    return `${decoder.decode(head)}\n[... ${omitted} bytes omitted by inhouse (output cap) ...]\n${decoder.decode(tail)}`;
  }
}
