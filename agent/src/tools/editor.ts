// Anthropic's text editor tool (str_replace_based_edit_tool), with the same input schema, so models trained on it use
// it well. Every edit is undoable, and its result shows the model the edited lines with numbers.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import { OutsideRepoError, displayPath, resolveInRepo } from './paths.ts';
import { ToolErrorCode, failure, type Invocation, type Tool, type ToolResult } from './types.ts';

const schema = z.object({
  command: z.enum(['view', 'create', 'str_replace', 'insert', 'undo_edit']),
  path: z.string().min(1).describe('File or directory path, relative to the repository root'),
  view_range: z.tuple([z.number().int(), z.number().int()]).optional().describe('[start_line, end_line] for view; end -1 means end of file'),
  file_text: z.string().optional().describe('Content for create'),
  old_str: z.string().optional().describe('Exact text to replace (str_replace)'),
  new_str: z.string().optional().describe('Replacement text (str_replace) or text to insert (insert)'),
  insert_line: z.number().int().optional().describe('Line after which to insert (insert); 0 inserts at the top'),
});
type Input = z.infer<typeof schema>;

const SNIPPET_CONTEXT = 4;
const MAX_VIEW_CHARS = 40_000;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '__pycache__']);

export function numbered(text: string, firstLine = 1): string {
  return text
    .split('\n')
    .map((line, i) => `${String(i + firstLine).padStart(6)}\t${line}`)
    .join('\n');
}

/** Two levels deep, hidden and generated folders left out, as the reference tool does. */
function listDir(root: string, abs: string): string {
  const lines: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const full = join(dir, name);
      const isDir = statSync(full).isDirectory();
      lines.push(displayPath(root, full) + (isDir ? '/' : ''));
      if (isDir && depth < 2) walk(full, depth + 1);
    }
  };
  walk(abs, 1);
  return `Files and directories up to 2 levels deep in ${displayPath(root, abs)}, excluding hidden items and ${[...SKIP_DIRS].join(', ')}:\n${lines.join('\n')}`;
}

export class EditorTool implements Tool<typeof schema> {
  readonly name = 'str_replace_based_edit_tool';
  readonly description =
    'View, create and edit files in the repository. `view` shows a file with line numbers (optionally a `view_range` [start, end], end -1 for the end of file) or lists a directory two levels deep. ' +
    '`create` writes `file_text` to `path`. `str_replace` replaces `old_str`, which must occur exactly once in the file (include enough surrounding lines to make it unique), with `new_str`. ' +
    '`insert` inserts `new_str` after line `insert_line` (0 for the top). `undo_edit` reverts the last edit to `path`. Paths are relative to the repository root, or absolute inside it.';
  readonly schema = schema;
  /** Earlier contents per file, newest last; `null` means the file did not exist. */
  private readonly history = new Map<string, Array<string | null>>();

  constructor(readonly root: string) {}

  invocation(input: Input): Invocation {
    const mutates = input.command !== 'view';
    return {
      mutates,
      describe: () => `${this.name} ${input.command} ${input.path}`,
      run: async () => {
        let abs: string;
        try {
          abs = resolveInRepo(this.root, input.path);
        } catch (err) {
          if (err instanceof OutsideRepoError) return failure(ToolErrorCode.PathOutsideRepo, err.message);
          throw err;
        }
        switch (input.command) {
          case 'view':
            return this.view(abs, input);
          case 'create':
            return this.create(abs, input);
          case 'str_replace':
            return this.strReplace(abs, input);
          case 'insert':
            return this.insert(abs, input);
          case 'undo_edit':
            return this.undo(abs);
        }
      },
    };
  }

  private rel(abs: string): string {
    return displayPath(this.root, abs);
  }

  private async readExisting(abs: string): Promise<string | ToolResult> {
    if (!existsSync(abs)) return failure(ToolErrorCode.FileNotFound, `${this.rel(abs)} does not exist. Use \`view\` on a directory to find the right path, or \`create\` to make a new file.`);
    if (statSync(abs).isDirectory()) return failure(ToolErrorCode.IsDirectory, `${this.rel(abs)} is a directory; this command needs a file. Use \`view\` to list it.`);
    return readFile(abs, 'utf8');
  }

  private async view(abs: string, input: Input): Promise<ToolResult> {
    if (existsSync(abs) && statSync(abs).isDirectory()) {
      if (input.view_range) return failure(ToolErrorCode.InvalidInput, 'view_range applies to files, not directories; drop it to list the directory.');
      return { llmContent: listDir(this.root, abs) };
    }
    const text = await this.readExisting(abs);
    if (typeof text !== 'string') return text;
    const lines = text.split('\n');
    const [start, last] = input.view_range ?? [1, lines.length];
    const end = last === -1 ? lines.length : last;
    if (start < 1 || start > lines.length || end < start || end > lines.length) {
      return failure(ToolErrorCode.InvalidRange, `view_range [${input.view_range?.join(', ')}] is outside ${this.rel(abs)}, which has ${lines.length} lines. Use [start, end] with 1 <= start <= end <= ${lines.length}, or end -1.`);
    }
    let shown = numbered(lines.slice(start - 1, end).join('\n'), start);
    if (shown.length > MAX_VIEW_CHARS) {
      shown = shown.slice(0, MAX_VIEW_CHARS) + `\n[... truncated: the file is long; view it in parts with view_range]`;
    }
    return { llmContent: `Here is the result of running \`cat -n\` on ${this.rel(abs)}:\n${shown}` };
  }

  private remember(abs: string, before: string | null): void {
    const stack = this.history.get(abs) ?? [];
    stack.push(before);
    this.history.set(abs, stack);
  }

  private edited(abs: string, before: string | null, after: string, changedFrom: number, changedLines: number, verb: string): ToolResult {
    const lines = after.split('\n');
    const from = Math.max(1, changedFrom - SNIPPET_CONTEXT);
    const to = Math.min(lines.length, changedFrom + changedLines - 1 + SNIPPET_CONTEXT);
    const snippet = numbered(lines.slice(from - 1, to).join('\n'), from);
    const rel = this.rel(abs);
    return {
      llmContent: `${verb} ${rel}. Here are the edited lines (with line numbers):\n${snippet}\nReview the change; use undo_edit if it is wrong.`,
      display: createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before ?? '', after, undefined, undefined, { context: 3 }),
    };
  }

  private async create(abs: string, input: Input): Promise<ToolResult> {
    if (input.file_text === undefined) return failure(ToolErrorCode.InvalidInput, '`create` needs `file_text`, the full content of the new file.');
    if (existsSync(abs) && statSync(abs).isDirectory()) return failure(ToolErrorCode.IsDirectory, `${this.rel(abs)} is a directory; give a file path.`);
    const before = existsSync(abs) ? await readFile(abs, 'utf8') : null;
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, input.file_text);
    this.remember(abs, before);
    const result = this.edited(abs, before, input.file_text, 1, input.file_text.split('\n').length, before === null ? 'Created' : 'Overwrote (undo_edit restores the old content)');
    return { ...result, llmContent: `${before === null ? 'Created' : 'Overwrote'} ${this.rel(abs)} (${input.file_text.split('\n').length} lines).` };
  }

  private async strReplace(abs: string, input: Input): Promise<ToolResult> {
    if (input.old_str === undefined) return failure(ToolErrorCode.InvalidInput, '`str_replace` needs `old_str`, the exact text to replace.');
    if (input.old_str === '') return failure(ToolErrorCode.InvalidInput, '`old_str` is empty; give the exact text to replace, or use `insert` to add text.');
    const text = await this.readExisting(abs);
    if (typeof text !== 'string') return text;
    const positions: number[] = [];
    for (let i = text.indexOf(input.old_str); i !== -1; i = text.indexOf(input.old_str, i + 1)) positions.push(i);
    const lineOf = (index: number) => text.slice(0, index).split('\n').length;
    if (positions.length === 0) {
      const hint = text.includes(input.old_str.trim()) ? ' It does occur with different leading/trailing whitespace: copy the text exactly, indentation included.' : ' View the file to copy the current text exactly.';
      return failure(ToolErrorCode.NoMatch, `old_str was not found in ${this.rel(abs)}; nothing was changed.${hint}`);
    }
    if (positions.length > 1) {
      return failure(ToolErrorCode.MultipleMatches, `old_str occurs ${positions.length} times in ${this.rel(abs)} (at lines ${positions.map(lineOf).join(', ')}); nothing was changed. Include more surrounding lines so it matches exactly once.`);
    }
    const newStr = input.new_str ?? '';
    const after = text.slice(0, positions[0]) + newStr + text.slice(positions[0]! + input.old_str.length);
    await writeFile(abs, after);
    this.remember(abs, text);
    return this.edited(abs, text, after, lineOf(positions[0]!), newStr.split('\n').length, 'Edited');
  }

  private async insert(abs: string, input: Input): Promise<ToolResult> {
    if (input.insert_line === undefined || input.new_str === undefined) return failure(ToolErrorCode.InvalidInput, '`insert` needs `insert_line` (0 for the top) and `new_str`.');
    const text = await this.readExisting(abs);
    if (typeof text !== 'string') return text;
    const lines = text.split('\n');
    if (input.insert_line < 0 || input.insert_line > lines.length) {
      return failure(ToolErrorCode.InvalidRange, `insert_line ${input.insert_line} is outside ${this.rel(abs)}, which has ${lines.length} lines; use 0 to ${lines.length}.`);
    }
    const inserted = input.new_str.split('\n');
    const after = [...lines.slice(0, input.insert_line), ...inserted, ...lines.slice(input.insert_line)].join('\n');
    await writeFile(abs, after);
    this.remember(abs, text);
    return this.edited(abs, text, after, input.insert_line + 1, inserted.length, 'Inserted into');
  }

  private async undo(abs: string): Promise<ToolResult> {
    const stack = this.history.get(abs);
    const before = stack?.pop();
    if (!stack || before === undefined) return failure(ToolErrorCode.NothingToUndo, `there is no edit of ${this.rel(abs)} to undo in this session.`);
    const current = existsSync(abs) ? await readFile(abs, 'utf8') : '';
    if (before === null) {
      const { rm } = await import('node:fs/promises');
      await rm(abs, { force: true });
      return { llmContent: `Undid the creation of ${this.rel(abs)}; the file is gone.`, display: createTwoFilesPatch(`a/${this.rel(abs)}`, `b/${this.rel(abs)}`, current, '') };
    }
    await writeFile(abs, before);
    return { llmContent: `Undid the last edit of ${this.rel(abs)}.`, display: createTwoFilesPatch(`a/${this.rel(abs)}`, `b/${this.rel(abs)}`, current, before) };
  }
}
