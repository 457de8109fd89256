// Dollars per million tokens. Cache writes cost 1.25x input (5-minute entries) or 2x (1-hour entries) and cache reads
// 0.1x input, as Anthropic bills them.
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

const CACHE_WRITE_5M = 1.25;
/** The most expensive way to send an input token. */
const CACHE_WRITE_1H = 2;

export function costUsd(model: string, usage: Usage): number {
  const { price } = priceFor(model);
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  // The API says how many of the written tokens went to 1-hour entries; the rest are 5-minute ones.
  const cacheWrite1h = Math.min(cacheWrite, usage.cache_creation?.ephemeral_1h_input_tokens ?? 0);
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const input = usage.input_tokens + (cacheWrite - cacheWrite1h) * CACHE_WRITE_5M + cacheWrite1h * CACHE_WRITE_1H + cacheRead * 0.1;
  return (input * price.input + usage.output_tokens * price.output) / 1e6;
}

/**
 * The most a request can cost before its answer is known: every output token it allows, and each input token at the
 * cache-write rate. Callers count input bytes as tokens, since no token is shorter than a byte.
 */
export function maxCostUsd(model: string, maxOutputTokens: number, maxInputTokens: number): number {
  const { price } = priceFor(model);
  return (maxInputTokens * price.input * CACHE_WRITE_1H + maxOutputTokens * price.output) / 1e6;
}
