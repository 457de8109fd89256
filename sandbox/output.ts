// Bounded capture of a process's output: an output flood costs at most `maxBytes` of host memory.
import { Writable } from 'node:stream';

export interface CappedText {
  text: string;
  totalBytes: number;
  truncated: boolean;
}

/**
 * Keeps the first half and the last half of the budget. The head is what explains a failure (the command, the
 * first error); the tail is what it ended with. Everything between is counted, not kept.
 */
export class CappedOutput extends Writable {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  totalBytes = 0;

  /** `live` receives the head as it arrives, so a streaming caller shows output without buffering it twice. */
  constructor(readonly maxBytes: number, private readonly live?: (chunk: Buffer) => void) {
    super();
    this.headLimit = Math.ceil(maxBytes / 2);
    this.tailLimit = maxBytes - this.headLimit;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.push(chunk);
    done();
  }

  push(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    const room = this.headLimit - this.headBytes;
    if (room > 0) {
      const part = chunk.subarray(0, room);
      this.head.push(part);
      this.headBytes += part.length;
      this.live?.(part);
      chunk = chunk.subarray(part.length);
    }
    if (chunk.length === 0 || this.tailLimit === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - this.tail[0]!.length >= this.tailLimit) this.tailBytes -= this.tail.shift()!.length;
  }

  get truncated(): boolean {
    return this.totalBytes > this.maxBytes;
  }

  private keptTail(): Buffer {
    const all = Buffer.concat(this.tail);
    return all.subarray(Math.max(0, all.length - this.tailLimit));
  }

  /** The elided middle, marked so neither a person nor a model mistakes it for the whole output. */
  tailAfterHead(): string {
    const tail = this.keptTail();
    const elided = this.totalBytes - this.headBytes - tail.length;
    return elided > 0 ? `\n[... ${elided} bytes elided ...]\n${tail.toString('utf8')}` : tail.toString('utf8');
  }

  result(): CappedText {
    return { text: Buffer.concat(this.head).toString('utf8') + this.tailAfterHead(), totalBytes: this.totalBytes, truncated: this.truncated };
  }
}
