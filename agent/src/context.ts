// What the model sees of the conversation: cache breakpoints that move forward with it, and the elision of old tool
// output when it nears the context window.
import type Anthropic from '@anthropic-ai/sdk';

type Block = Anthropic.ContentBlockParam;
const EPHEMERAL = { type: 'ephemeral' } as const;

function withCache(message: Anthropic.MessageParam): Anthropic.MessageParam {
  const content: Block[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...message.content];
  const last = content.length - 1;
  content[last] = { ...content[last]!, cache_control: EPHEMERAL } as Block;
  return { ...message, content } as Anthropic.MessageParam;
}

/**
 * A copy of the messages with cache breakpoints on the last two user turns. The API allows four breakpoints; the
 * system prompt and the tools take two. Marking the newest turn writes the whole prefix to the cache, and marking the
 * one before reads what the previous request wrote, so each request pays full price only for what is new.
 */
export function withCacheBreakpoints(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const userTurns = messages.flatMap((m, i) => (m.role === 'user' ? [i] : [])).slice(-2);
  return messages.map((m, i) => (userTurns.includes(i) ? withCache(m) : m));
}

export const ELIDED_MARKER = '[elided to save context:';

/**
 * Replaces the content of the oldest tool results with a short marker, keeping the newest `keepRecent` messages
 * whole. Returns how many results it elided; tool_use/tool_result pairing is untouched, so the history stays valid.
 */
export function elideOldToolResults(messages: Anthropic.MessageParam[], count: number, keepRecent = 6): number {
  let elided = 0;
  for (let i = 0; i < messages.length - keepRecent && elided < count; i++) {
    const m = messages[i]!;
    if (m.role !== 'user' || typeof m.content === 'string') continue;
    m.content = m.content.map((b) => {
      if (elided >= count || b.type !== 'tool_result') return b;
      const text = typeof b.content === 'string' ? b.content : JSON.stringify(b.content ?? '');
      if (text.startsWith(ELIDED_MARKER)) return b;
      elided++;
      return { ...b, content: `${ELIDED_MARKER} ${text.length} characters of old tool output. Run the tool again if you need it.]` };
    });
  }
  return elided;
}
