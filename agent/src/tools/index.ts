// The tool registry: turns a model's tool_use into a validated invocation, or into an error the model can act on.
import type { Tool as ApiTool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { BashTool, type BashOptions } from './bash.ts';
import { EditorTool } from './editor.ts';
import { RepoMapTool, SearchTool } from './search.ts';
import { ToolErrorCode, failure, type Invocation, type Tool, type ToolResult } from './types.ts';

export { ToolErrorCode, type Invocation, type ToolResult } from './types.ts';

/** A tool's `input_schema`, generated from the zod schema that validates its calls, so the two cannot drift. */
export function inputSchema(tool: Tool): ApiTool['input_schema'] {
  // zod's default target, draft 2020-12, is what the API checks schemas against: it rejects draft-07's tuple `items: [...]`.
  // `input` because the model writes the input; it also leaves out `additionalProperties: false`, as zod strips unknown keys.
  const { $schema: _, ...json } = z.toJSONSchema(tool.schema, { io: 'input' });
  return json as ApiTool['input_schema'];
}

export class Toolbox {
  readonly tools: Tool[];
  constructor(readonly root: string, bash: BashOptions = {}) {
    this.tools = [new BashTool(root, bash), new EditorTool(root), new SearchTool(root), new RepoMapTool(root)];
  }

  /** The `tools` parameter of a Messages API request. */
  definitions(): ApiTool[] {
    return this.tools.map((t) => ({ name: t.name, description: t.description, input_schema: inputSchema(t) }));
  }

  /** A validated invocation, or the error result to send back instead. */
  prepare(name: string, input: unknown): Invocation | ToolResult {
    const tool = this.tools.find((t) => t.name === name);
    if (!tool) return failure(ToolErrorCode.UnknownTool, `there is no tool named "${name}". Available tools: ${this.tools.map((t) => t.name).join(', ')}.`);
    const parsed = tool.schema.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
      return failure(ToolErrorCode.InvalidInput, `invalid input for ${name}: ${problems}. Expected input schema: ${JSON.stringify(inputSchema(tool))}`);
    }
    return tool.invocation(parsed.data);
  }

  close(): void {
    for (const t of this.tools) if (t instanceof BashTool) t.close();
  }
}

export function isInvocation(x: Invocation | ToolResult): x is Invocation {
  return typeof (x as Invocation).run === 'function';
}
