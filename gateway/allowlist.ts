// What a variant may ask of a model. The Messages API can do more than answer: server tools search and fetch the web
// and run code next to the API, MCP servers and URL sources make it reach any address, some fields change the price.
// Any of those would give a variant the network or spend the budget cannot count, so only the client side of the API
// passes: listed fields, tools the variant runs itself in its sandbox, and content it sends inline.

type Endpoint = 'messages' | 'count_tokens';

const CLIENT_FIELDS: Record<Endpoint, ReadonlySet<string>> = {
  messages: new Set(['model', 'max_tokens', 'messages', 'system', 'tools', 'tool_choice', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'metadata', 'thinking', 'cache_control', 'output_config']),
  count_tokens: new Set(['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'cache_control', 'output_config']),
};

const NETWORK = 'it would give a variant the network';
/** Fields the API knows and the gateway refuses, with the reason the refusal gives. */
const REFUSED_FIELDS: Record<string, string> = {
  mcp_servers: `the API would connect to MCP servers on the variant's behalf: ${NETWORK}`,
  container: `a code-execution container runs beside the API with its own network: ${NETWORK}`,
  speed: 'it changes the price of a request, which the session budget could not count',
  service_tier: 'it changes the price of a request, which the session budget could not count',
  inference_geo: 'it changes the price of a request, which the session budget could not count',
  workspace_id: 'it chooses whose account pays; only the host decides that',
  user_profile_id: 'it chooses whose account pays; only the host decides that',
  betas: 'beta features are not allowlisted',
};

const TOOL_FIELDS: ReadonlySet<string> = new Set(['type', 'name', 'description', 'input_schema', 'cache_control', 'strict', 'input_examples', 'eager_input_streaming']);

/** Content a message may carry, and what may sit inside a tool result or a document made of content. */
const MESSAGE_BLOCKS: ReadonlySet<string> = new Set(['text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result']);
const INNER_BLOCKS: ReadonlySet<string> = new Set(['text', 'image', 'document', 'search_result']);
/** Inline sources only: `url` makes the API fetch an address the variant chose, `file` reads the account's files. */
const SOURCE_TYPES: ReadonlySet<string> = new Set(['base64', 'text', 'content']);

/** A value the variant chose, quoted for an error message at a bounded length: messages are logged on the host. */
export function quote(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why this request body must be refused, naming the field; undefined if it keeps to the client side of the API.
 * Shapes (types, required fields) are zod's job; this looks only at what could reach past the model.
 */
export function allowlistRefusal(body: unknown, endpoint: Endpoint): string | undefined {
  if (!isObject(body)) return undefined;
  const allowed = CLIENT_FIELDS[endpoint];
  for (const key of Object.keys(body)) {
    if (allowed.has(key)) continue;
    const why = REFUSED_FIELDS[key] ?? 'it is not a client field of the Messages API that the gateway passes on';
    return `${quote(key)} is not allowed: ${why}. Allowed fields: ${[...allowed].join(', ')}. Fix: remove ${quote(key)}.`;
  }
  if (Array.isArray(body.tools)) {
    for (const [i, tool] of body.tools.entries()) {
      const why = toolRefusal(tool);
      if (why) return `tools.${i} ${why}`;
    }
  }
  if (Array.isArray(body.system)) {
    for (const [i, block] of body.system.entries()) {
      if (isObject(block) && block.type !== 'text') return `system.${i} has type ${quote(block.type)}: a system prompt is text blocks only.`;
    }
  }
  if (Array.isArray(body.messages)) {
    for (const [m, message] of body.messages.entries()) {
      if (!isObject(message) || !Array.isArray(message.content)) continue;
      for (const [b, block] of message.content.entries()) {
        const why = blockRefusal(block, `messages.${m}.content.${b}`, MESSAGE_BLOCKS, 0);
        if (why) return why;
      }
    }
  }
  return undefined;
}

function toolRefusal(tool: unknown): string | undefined {
  if (!isObject(tool)) return undefined;
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    return `has type ${quote(tool.type)}: server tools would give a variant the network; only client tools are allowed (name, description, input_schema; type "custom" or none), which the variant runs itself in its sandbox. Fix: define the tool with an input_schema and run it in the sandbox.`;
  }
  const extra = Object.keys(tool).find((k) => !TOOL_FIELDS.has(k));
  if (extra) return `has field ${quote(extra)}, which is not allowed: a client tool has only ${[...TOOL_FIELDS].join(', ')}. Fix: remove ${quote(extra)}.`;
  if (!isObject(tool.input_schema)) return `(${quote(tool.name)}) has no input_schema object: only client tools are allowed, defined by name, description and input_schema.`;
  return undefined;
}

function blockRefusal(block: unknown, path: string, allowed: ReadonlySet<string>, depth: number): string | undefined {
  if (!isObject(block)) return undefined;
  if (typeof block.type !== 'string' || !allowed.has(block.type)) {
    return `${path} has type ${quote(block.type)}, which is not allowed here: server tool calls, MCP calls and container uploads would give a variant the network. Allowed here: ${[...allowed].join(', ')}.`;
  }
  if ((block.type === 'image' || block.type === 'document') && isObject(block.source)) {
    const type = block.source.type;
    if (typeof type !== 'string' || !SOURCE_TYPES.has(type)) {
      return `${path}.source has type ${quote(type)}: the API would fetch a url or read a stored file for the variant, and ${NETWORK}. Fix: send the ${block.type} inline (base64${block.type === 'document' ? ', text or content' : ''}).`;
    }
  }
  // Nested content: a tool result's blocks, or a document built from blocks. The nesting has a fixed depth.
  const inner = block.type === 'tool_result' ? block.content : block.type === 'document' && isObject(block.source) ? block.source.content : undefined;
  if (Array.isArray(inner)) {
    if (depth >= 2) return `${path} nests content too deeply.`;
    for (const [i, child] of inner.entries()) {
      const why = blockRefusal(child, `${path}.${block.type === 'tool_result' ? 'content' : 'source.content'}.${i}`, INNER_BLOCKS, depth + 1);
      if (why) return why;
    }
  }
  return undefined;
}
