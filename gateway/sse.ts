// Turns a complete Messages API response into the event sequence the real API streams, so the unmodified SDK's
// streaming helpers (MessageStream, finalMessage, input_json_delta parsing) accept it.
import type { Message, RawMessageStreamEvent, ContentBlock } from '@anthropic-ai/sdk/resources/messages';

const TEXT_CHUNK = 24;
const JSON_CHUNK = 16;

function chunks(text: string, size: number): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function* messageEvents(message: Message): Generator<RawMessageStreamEvent> {
  yield {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: Math.min(1, message.usage.output_tokens) } },
  };
  for (const [index, block] of message.content.entries()) {
    yield* blockEvents(index, block);
  }
  yield {
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, container: null },
    usage: {
      output_tokens: message.usage.output_tokens,
      input_tokens: message.usage.input_tokens,
      cache_creation_input_tokens: message.usage.cache_creation_input_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      server_tool_use: null,
    },
  } as RawMessageStreamEvent;
  yield { type: 'message_stop' };
}

function* blockEvents(index: number, block: ContentBlock): Generator<RawMessageStreamEvent> {
  switch (block.type) {
    case 'text':
      yield { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } };
      for (const text of chunks(block.text, TEXT_CHUNK)) yield { type: 'content_block_delta', index, delta: { type: 'text_delta', text } };
      break;
    case 'tool_use':
      yield { type: 'content_block_start', index, content_block: { ...block, input: {} } };
      for (const partial_json of chunks(JSON.stringify(block.input), JSON_CHUNK)) {
        yield { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } };
      }
      break;
    case 'thinking':
      yield { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } };
      for (const thinking of chunks(block.thinking, TEXT_CHUNK)) yield { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } };
      yield { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } };
      break;
    default:
      yield { type: 'content_block_start', index, content_block: block };
  }
  yield { type: 'content_block_stop', index };
}

export function sseFrame(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
