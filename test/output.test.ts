import { describe, expect, it } from 'vitest';
import { CappedOutput } from '../sandbox/output.ts';

describe('CappedOutput', () => {
  it('keeps everything under the cap', () => {
    const out = new CappedOutput(100);
    out.push(Buffer.from('hello '));
    out.push(Buffer.from('world'));
    expect(out.result()).toEqual({ text: 'hello world', totalBytes: 11, truncated: false });
  });

  it('keeps head and tail and marks the elided middle', () => {
    const out = new CappedOutput(10);
    for (const c of ['abc', 'defgh', 'ijklmnop', 'qrstuvwxyz']) out.push(Buffer.from(c));
    const r = out.result();
    expect(r.truncated).toBe(true);
    expect(r.totalBytes).toBe(26);
    expect(r.text).toBe('abcde\n[... 16 bytes elided ...]\nvwxyz');
  });

  it('streams only the head live, then the marker and tail at the end', () => {
    const live: string[] = [];
    const out = new CappedOutput(8, (c) => live.push(c.toString()));
    out.push(Buffer.from('0123456789'));
    out.push(Buffer.from('abcdef'));
    expect(live.join('')).toBe('0123');
    expect(out.tailAfterHead()).toBe('\n[... 8 bytes elided ...]\ncdef');
  });

  it('keeps memory bounded for a flood of small chunks', () => {
    const out = new CappedOutput(1024);
    for (let i = 0; i < 100_000; i++) out.push(Buffer.from('0123456789'));
    const r = out.result();
    expect(r.totalBytes).toBe(1_000_000);
    expect(r.text.length).toBeLessThan(1024 + 40);
  });
});
