// How the agent reaches a model: inside Clade through the gateway's Unix socket (no network, no key), or directly
// with ANTHROPIC_API_KEY when run as a standalone CLI. Retries with backoff on 429, 5xx and overloaded errors are the
// SDK's own (it also honours retry-after and x-should-retry).
import { existsSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { Agent as UndiciAgent, fetch as undiciFetch } from 'undici';

export const DEFAULT_GATEWAY_SOCKET = '/run/clade/gateway.sock';

export function createClient(env: NodeJS.ProcessEnv = process.env, maxRetries = 4): Anthropic {
  const socket = env.CLADE_GATEWAY_SOCKET ?? (existsSync(DEFAULT_GATEWAY_SOCKET) ? DEFAULT_GATEWAY_SOCKET : undefined);
  if (socket) {
    const dispatcher = new UndiciAgent({ connect: { socketPath: socket } });
    return new Anthropic({
      apiKey: 'held-by-the-gateway',
      baseURL: 'http://gateway',
      maxRetries,
      fetch: ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher })) as unknown as typeof fetch,
    });
  }
  if (env.ANTHROPIC_API_KEY) return new Anthropic({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL, maxRetries });
  throw new Error('no model to talk to: set CLADE_GATEWAY_SOCKET (inside Clade) or ANTHROPIC_API_KEY');
}

/** Dollars per million tokens, for the trajectory's cost column (the gateway's bill is the authoritative one). */
const PRICES: Array<[string, number, number]> = [
  ['claude-opus-4-5', 5, 25],
  ['claude-opus-4-6', 5, 25],
  ['claude-opus-4', 15, 75],
  ['claude-sonnet', 3, 15],
  ['claude-haiku-4-5', 1, 5],
  ['claude-3-5-haiku', 0.8, 4],
];

export function costUsd(model: string, usage: Anthropic.Usage): number {
  const [, input, output] = PRICES.find(([prefix]) => model.startsWith(prefix)) ?? ['', 15, 75];
  return (
    (usage.input_tokens * input +
      (usage.cache_creation_input_tokens ?? 0) * input * 1.25 +
      (usage.cache_read_input_tokens ?? 0) * input * 0.1 +
      usage.output_tokens * output) /
    1e6
  );
}
