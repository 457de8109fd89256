// The shape every tool has. A tool validates its input into an invocation before anything runs, and a result keeps
// what the model reads apart from what a person is shown (a diff, say).
import type { z } from 'zod';

/** Stable error codes: the model learns them, and each message says how to recover. */
export enum ToolErrorCode {
  UnknownTool = 'UNKNOWN_TOOL',
  InvalidInput = 'INVALID_INPUT',
  PathOutsideRepo = 'PATH_OUTSIDE_REPO',
  FileNotFound = 'FILE_NOT_FOUND',
  IsDirectory = 'IS_DIRECTORY',
  NoMatch = 'NO_MATCH',
  MultipleMatches = 'MULTIPLE_MATCHES',
  InvalidRange = 'INVALID_RANGE',
  NothingToUndo = 'NOTHING_TO_UNDO',
  Timeout = 'TIMEOUT',
  ExecutionFailed = 'EXECUTION_FAILED',
  Denied = 'DENIED',
  Cancelled = 'CANCELLED',
}

export interface ToolError {
  code: ToolErrorCode;
  message: string;
}

export interface ToolResult {
  /** What goes back to the model as the tool_result. */
  llmContent: string;
  /** What a UI shows instead, if different (a colored diff, a short summary). */
  display?: string;
  error?: ToolError;
}

export interface Invocation {
  /** One line for approval prompts and logs: `bash: npm test`. */
  describe(): string;
  /** Commands and edits need a person's yes in interactive sessions; reads do not. */
  readonly mutates: boolean;
  run(signal: AbortSignal): Promise<ToolResult>;
}

export interface Tool<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  /** The only declaration of the input: it validates calls, and the model's `input_schema` is generated from it. */
  readonly schema: S;
  invocation(input: z.infer<S>): Invocation;
}

export function failure(code: ToolErrorCode, message: string): ToolResult {
  return { llmContent: `Error [${code}]: ${message}`, error: { code, message } };
}
