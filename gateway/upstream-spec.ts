// Which upstream a `--model` names. Apart from the upstreams themselves, so that upstream.ts and openai.ts need not
// import each other.
import { AnthropicUpstream, ScriptedUpstream, type Upstream } from './upstream.ts';
import { OpenAICompatibleUpstream } from './openai.ts';

/** `anthropic`, `scripted:FILE` or `openai-compatible:URL`; anything else is an error that lists the choices. */
export function parseUpstream(spec: string): Upstream {
  if (spec === 'anthropic') return new AnthropicUpstream();
  if (spec.startsWith('scripted:')) return ScriptedUpstream.fromFile(spec.slice('scripted:'.length));
  if (spec.startsWith('openai-compatible:') || spec.startsWith('openai-compatible ')) {
    const url = spec.slice('openai-compatible:'.length).trim();
    if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
      throw new Error(`upstream openai-compatible needs the http(s) URL of the server's OpenAI API, not "${url}". Fix: e.g. --model openai-compatible:http://127.0.0.1:11434/v1 (Ollama), :8000/v1 (vLLM) or :8080/v1 (llama.cpp server).`);
    }
    return new OpenAICompatibleUpstream(url);
  }
  throw new Error(`unknown model upstream "${spec}". Use one of: anthropic (needs ANTHROPIC_API_KEY), scripted:FILE (a JSON script of responses), openai-compatible:URL (a local Chat Completions server, e.g. http://127.0.0.1:11434/v1 for Ollama; pick the model with --model-name).`);
}
