// Before a run spends anything: does the upstream accept the key, and does the model exist? A free call answers both
// (count_tokens for Anthropic, the model list for an OpenAI-compatible server), and a failure says what to fix.
import { ApiError, type Upstream } from './upstream.ts';

const PROBE_TIMEOUT_MS = 30_000;

/** Resolves with what was checked, or rejects with an Error whose message names the problem and its fix. */
export async function probeAccess(upstream: Upstream, model: string): Promise<string> {
  if (!upstream.checkAccess) return `not checked: upstream ${upstream.name} has no free call to check a key or a model with`;
  try {
    return await upstream.checkAccess(model, AbortSignal.timeout(PROBE_TIMEOUT_MS));
  } catch (err) {
    throw new Error(explain(upstream, model, err));
  }
}

function explain(upstream: Upstream, model: string, err: unknown): string {
  if (!(err instanceof ApiError)) return `could not check ${upstream.name}: ${(err as Error).message}`;
  const said = `${upstream.name} answered ${err.status} ${err.type}: ${err.message.replace(/\.$/, '')}`;
  // Some upstreams' messages carry their own fix already (openai.ts names the URL and the key it sent).
  const fix = (text: string) => (err.message.includes('Fix:') ? '' : ` Fix: ${text}`);
  if (err.status === 401 || err.status === 403) {
    const key = upstream.name.startsWith('openai-compatible') ? 'OPENAI_API_KEY (the key the server expects)' : 'ANTHROPIC_API_KEY (a key from console.anthropic.com with access to the model)';
    return `the key was refused: ${said}.${fix(`check ${key} in the host environment.`)}`;
  }
  if (err.status === 404) return `model "${model}" was not found: ${said}.${fix('pass a model this upstream serves with --model-name.')}`;
  return `could not check the key and model "${model}": ${said}.${fix('retry later if the upstream is busy or unreachable, or check --model.')}`;
}
