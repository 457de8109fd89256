// The unmodified Anthropic SDK pointed at a gateway session's Unix socket: how host-side code (the smoke probe, tests)
// talks to a gateway. The agent has its own copy, because agent/ imports nothing from outside itself.
import Anthropic from '@anthropic-ai/sdk';
import { Agent, fetch as undiciFetch } from 'undici';

export function sdkOverSocket(socketPath: string, opts: { maxRetries?: number } = {}): Anthropic {
  const dispatcher = new Agent({ connect: { socketPath } });
  return new Anthropic({
    apiKey: 'no-key-here', // the gateway holds the real key; this placeholder never leaves the host
    baseURL: 'http://gateway',
    maxRetries: opts.maxRetries ?? 0,
    fetch: ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher })) as unknown as typeof fetch,
  });
}
