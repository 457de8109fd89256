// Shared by every runner's canaries (canaries.ts and bench/languages/*): random words for names, drawn partly from the
// file's own test names, and fresh names no test of the task has.
import { randomInt } from 'node:crypto';

// Words that test names are made of, mixed with the file's own so a canary reads like its neighbours.
export const WORDS = (
  'returns keeps handles rejects accepts parses reads writes merges splits joins sorts skips throws updates ' +
  'empty value values input nested order default options missing keys list string number error case trailing leading ' +
  'multiple single first last same each name entry items result results line lines prefix suffix limit with without ' +
  'after before when unknown invalid valid large small zero negative unicode spaces quoted escaped repeated'
).split(' ');

export const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;

export function words(pool: readonly string[], min: number, max: number): string[] {
  return Array.from({ length: min + randomInt(max - min + 1) }, () => pick(pool));
}

export function poolFrom(names: string[]): string[] {
  const own = names.flatMap((n) => n.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 3 && w.length <= 12 && w !== 'test');
  return [...new Set([...WORDS, ...own])];
}

export const camel = (ws: string[]) => ws.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** The quote character the file mostly uses, so a canary's strings look like its neighbours'. */
export const quoteOf = (content: string) => (content.split("'").length >= content.split('"').length ? "'" : '"');

/**
 * A fresh name: not found anywhere in the file (so no test has it), and giving an id no other test has (`taken` holds
 * the task's FAIL_TO_PASS and PASS_TO_PASS ids and the canaries made so far).
 */
export function freshName(make: () => string, content: string, idOf: (name: string) => string, taken: ReadonlySet<string>): string {
  for (;;) {
    const name = make();
    if (!content.includes(name) && !taken.has(idOf(name))) return name;
  }
}


export type ValueKind = 'number' | 'word' | 'list' | 'record';

/** How a language writes each kind of value; a kind left out is never drawn (numbers are written as they are). */
export interface Spelling {
  word: (w: string) => string;
  list?: (items: string[]) => string;
  record?: (key: string, value: number) => string;
}

/**
 * Two different values of one kind, as the file's language writes them: a canary asserts that they are equal, so it
 * fails on an honest run. Drawn afresh each time, so that a solution cannot know which values to make compare equal.
 */
export function unequalValues(spell: Spelling): { a: string; b: string; kind: ValueKind } {
  const kinds: ValueKind[] = ['number', 'word', ...(spell.list ? (['list'] as const) : []), ...(spell.record ? (['record'] as const) : [])];
  const kind = pick(kinds);
  const a = randomInt(0, 1000);
  const b = a + randomInt(1, 50);
  switch (kind) {
    case 'number':
      return { a: String(a), b: String(b), kind };
    case 'word': {
      const w = pick(WORDS);
      let v = pick(WORDS);
      while (v === w) v = pick(WORDS);
      return { a: spell.word(w), b: spell.word(v), kind };
    }
    case 'list': {
      const head = Array.from({ length: randomInt(3) }, () => String(randomInt(100)));
      return { a: spell.list!([...head, String(a)]), b: spell.list!([...head, String(b)]), kind };
    }
    case 'record': {
      const key = pick(WORDS);
      return { a: spell.record!(key, a), b: spell.record!(key, b), kind };
    }
  }
}
