// Dollars per million tokens. Cache writes cost 1.25x input and cache reads 0.1x input, as Anthropic bills them.
import type { Usage } from './schema.ts';

interface Price {
  input: number;
  output: number;
}

/** Matched by longest prefix of the model name. Update when prices change; unknown models bill at the top rate. */
const PRICES: Array<[prefix: string, price: Price]> = [
  ['claude-opus-4-5', { input: 5, output: 25 }],
  ['claude-opus-4-6', { input: 5, output: 25 }],
  ['claude-opus-4', { input: 15, output: 75 }],
  ['claude-sonnet-4', { input: 3, output: 15 }],
  ['claude-3-7-sonnet', { input: 3, output: 15 }],
  ['claude-3-5-sonnet', { input: 3, output: 15 }],
  ['claude-haiku-4-5', { input: 1, output: 5 }],
  ['claude-3-5-haiku', { input: 0.8, output: 4 }],
  ['claude-3-haiku', { input: 0.25, output: 1.25 }],
];
/** An unknown model is priced at the most expensive known rate, so a dollar budget is never under-counted. */
const UNKNOWN: Price = { input: 15, output: 75 };

export function priceFor(model: string): { price: Price; known: boolean } {
  const match = PRICES.filter(([prefix]) => model.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
  return match ? { price: match[1], known: true } : { price: UNKNOWN, known: false };
}

export function costUsd(model: string, usage: Usage): number {
  const { price } = priceFor(model);
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  return (usage.input_tokens * price.input + cacheWrite * price.input * 1.25 + cacheRead * price.input * 0.1 + usage.output_tokens * price.output) / 1e6;
}
