/**
 * The conversation: append-only, and rendered the same way every time so that one request's
 * bytes are a prefix of the next (local servers such as vLLM then reuse their KV cache).
 *
 * Old tool results are masked in blocks: every `maskEvery` turns the boundary moves, and results
 * from turns before it become a one-line placeholder. Between two moves nothing already sent
 * changes, so the prefix stays byte-identical for `maskEvery` turns at a time.
 */
import type { ChatMessage } from "../chat/types.ts";

export interface MaskingPolicy {
  /** Turns between mask events; 0 turns masking off. */
  maskEvery: number;
  /** Results from this many most recent turns are always shown in full. */
  keepRecentTurns: number;
  /** Results shorter than this are kept: their placeholder would save nothing. */
  minCharsToMask: number;
}

export const DEFAULT_MASKING: MaskingPolicy = { maskEvery: 16, keepRecentTurns: 4, minCharsToMask: 400 };

interface Entry {
  message: ChatMessage;
  /** The turn that produced it; tool results of old turns may be masked. */
  turn: number;
  label?: string;
}

export class Conversation {
  private readonly entries: Entry[] = [];
  private floor = 0;

  constructor(
    system: string,
    firstUserMessage: string,
    private readonly masking: MaskingPolicy = DEFAULT_MASKING,
  ) {
    this.entries.push({ message: { role: "system", content: system }, turn: 0 });
    this.entries.push({ message: { role: "user", content: firstUserMessage }, turn: 0 });
  }

  append(message: ChatMessage, turn: number, label?: string): void {
    this.entries.push({ message, turn, label });
  }

  get length(): number {
    return this.entries.length;
  }

  /** Results from this turn and earlier are masked when the request for `turn` is built. */
  maskBoundary(turn: number): number {
    const { maskEvery, keepRecentTurns } = this.masking;
    if (maskEvery <= 0) return this.floor;
    const eligible = turn - keepRecentTurns;
    return Math.max(this.floor, eligible <= 0 ? 0 : Math.floor(eligible / maskEvery) * maskEvery);
  }

  /**
   * An extra mask event, for when the next request would not fit the model's context: results up
   * to and including `turn` are masked from now on. The boundary only moves forward, so the new
   * prefix then stays stable like any other.
   */
  maskThrough(turn: number): void {
    this.floor = Math.max(this.floor, turn);
  }

  /** Characters of message text in the request for `turn`: a cheap size estimate before sending. */
  renderedChars(turn: number): number {
    return this.render(turn).reduce((sum, message) => sum + message.content.length, 0);
  }

  /** The messages for the request of `turn`. */
  render(turn: number): ChatMessage[] {
    const boundary = this.maskBoundary(turn);
    return this.entries.map(({ message, turn: producedAt, label }) => {
      if (
        message.role !== "tool" ||
        producedAt > boundary ||
        message.content.length < this.masking.minCharsToMask
      ) {
        return message;
      }
      return {
        ...message,
        content: `[output of \`${label ?? message.name}\` elided, ${message.content.length} chars; run it again if you need it]`,
      };
    });
  }
}
