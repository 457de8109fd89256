// Every JSON that reaches the gateway from outside (request bodies from untrusted variants, script files from users)
// is validated here, and a failure names the field and what it should be.
import { z } from 'zod';

const ContentPart = z.looseObject({ type: z.string() });

export const MessagesRequest = z.looseObject({
  model: z.string().min(1).max(256),
  max_tokens: z.number().int().positive(),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['user', 'assistant']),
        content: z.union([z.string(), z.array(ContentPart)]),
      }),
    )
    .min(1),
  system: z.union([z.string(), z.array(ContentPart)]).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  stream: z.boolean().optional(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;

export const CountTokensRequest = MessagesRequest.omit({ max_tokens: true, stream: true });
export type CountTokensRequest = z.infer<typeof CountTokensRequest>;

export const Usage = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
  cache_read_input_tokens: z.number().int().nonnegative().nullish(),
  /** How the cache writes split between 5-minute and 1-hour entries, which are billed differently. */
  cache_creation: z.object({ ephemeral_1h_input_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});
export type Usage = z.infer<typeof Usage>;

const ScriptedBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string().optional(), name: z.string().min(1), input: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
]);
export type ScriptedBlock = z.infer<typeof ScriptedBlock>;

const ScriptedMessage = z.object({
  content: z.array(ScriptedBlock),
  stop_reason: z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'pause_turn', 'refusal']),
  usage: Usage.partial().optional(),
});

/** A scripted API failure, to test how callers handle 429s, overloads and the like. */
const ScriptedError = z.object({
  error: z.object({ status: z.number().int().min(400).max(599), type: z.string(), message: z.string() }),
});

export const ScriptedEntry = z.union([ScriptedMessage, ScriptedError]);
export type ScriptedEntry = z.infer<typeof ScriptedEntry>;

/** One scripted conversation, chosen for a session when `match` (a regular expression) finds its first request's text. */
const ScriptedConversation = z.object({
  match: z.string().min(1).refine((m) => {
    try {
      new RegExp(m);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression'),
  responses: z.array(ScriptedEntry).min(1),
});

export const Script = z
  .object({
    /** One conversation: every session reads these from the first. */
    responses: z.array(ScriptedEntry).min(1).optional(),
    /** Several conversations, for runs where sessions play different roles (diagnose, modify, solve a task). */
    conversations: z.array(ScriptedConversation).min(1).optional(),
    /** Pause between streamed chunks, so a UI or a cancel can be seen mid-stream. */
    chunkDelayMs: z.number().int().nonnegative().max(10_000).optional(),
  })
  .refine((s) => (s.responses ? 1 : 0) + (s.conversations ? 1 : 0) === 1, 'give exactly one of "responses" or "conversations"');
export type Script = z.infer<typeof Script>;

