// Text formatting shared by the terminal UI and plain mode, so both describe a session the same way.

/** A tool's arguments on one line: `command: "ls -la", path: "src"`, cut to `max` characters. */
export function oneLineArgs(input: unknown, max = 160): string {
  const text =
    input && typeof input === 'object' && !Array.isArray(input)
      ? Object.entries(input as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${JSON.stringify(v) ?? String(v)}`)
          .join(', ')
      : (JSON.stringify(input) ?? '');
  return clip(text, max);
}

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The first `maxLines` lines, each at most `maxWidth` long, and how many lines were left out. */
export function headLines(text: string, maxLines: number, maxWidth = 240): { lines: string[]; hidden: number } {
  const all = text.replace(/\n$/, '').split('\n');
  const lines = all.slice(0, maxLines).map((l) => (l.length > maxWidth ? `${l.slice(0, maxWidth - 1)}…` : l));
  return { lines, hidden: Math.max(0, all.length - maxLines) };
}

/** Whether a tool's `display` is a unified diff, which is shown colored rather than as plain output. */
export function isDiff(text: string): boolean {
  return /^@@ .* @@/m.test(text) && /^(---|\+\+\+) /m.test(text);
}

/** A diff without the "Index:"/"====" banner createTwoFilesPatch starts with: it says nothing the file headers do not. */
export function diffBody(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^(Index: |={10,}$)/.test(l))
    .join('\n');
}

export function tokens(n: number): string {
  return n < 1000 ? String(n) : n < 1_000_000 ? `${(n / 1000).toFixed(1)}k` : `${(n / 1_000_000).toFixed(2)}M`;
}

export function dollars(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** How a turn that did not simply finish is announced. */
export function turnEndNotice(reason: string, error?: string | null): string | undefined {
  if (reason === 'end_turn') return undefined;
  if (reason === 'cancelled') return 'turn cancelled';
  if (reason === 'error') return `turn ended with an error${error ? `: ${error}` : ''}`;
  return `turn ended: ${reason}${error ? `: ${error}` : ''}`;
}
