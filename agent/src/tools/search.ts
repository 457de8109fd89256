// Finding code: a regex search over the repository, and the ranked repository map.
import { execFile } from 'node:child_process';
import { z } from 'zod';
import { RepoMap } from '../repomap.ts';
import { OutsideRepoError, resolveInRepo } from './paths.ts';
import { capOutput } from './bash.ts';
import { ToolErrorCode, failure, type Invocation, type Tool } from './types.ts';

const searchSchema = z.object({
  pattern: z.string().min(1),
  path: z.string().optional(),
  glob: z.string().optional(),
});

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({ code: typeof e?.code === 'number' ? e.code : e ? 2 : 0, stdout, stderr, missing: e?.code === 'ENOENT' });
    });
  });
}

export class SearchTool implements Tool<typeof searchSchema> {
  readonly name = 'search';
  readonly description = 'Search the repository for a regular expression (ripgrep syntax). Returns matching lines as path:line:text. Optional `path` limits the search to a file or folder, `glob` to file names (e.g. "*.ts").';
  readonly schema = searchSchema;
  constructor(readonly root: string) {}

  invocation(input: z.infer<typeof searchSchema>): Invocation {
    return {
      mutates: false,
      describe: () => `search ${JSON.stringify(input.pattern)}${input.path ? ` in ${input.path}` : ''}`,
      run: async () => {
        let target = '.';
        if (input.path) {
          try {
            target = resolveInRepo(this.root, input.path);
          } catch (err) {
            if (err instanceof OutsideRepoError) return failure(ToolErrorCode.PathOutsideRepo, err.message);
            throw err;
          }
        }
        const rgArgs = ['--line-number', '--no-heading', '--color', 'never', '--max-columns', '300', ...(input.glob ? ['--glob', input.glob] : []), '--', input.pattern, target];
        let r = await run('rg', rgArgs, this.root);
        if (r.missing) r = await run('grep', ['-rnE', '--exclude-dir=node_modules', '--exclude-dir=.git', ...(input.glob ? [`--include=${input.glob}`] : []), '--', input.pattern, target], this.root);
        if (r.code === 1) return { llmContent: `No matches for ${JSON.stringify(input.pattern)}.` };
        if (r.code !== 0) return failure(ToolErrorCode.InvalidInput, `the search failed: ${r.stderr.trim()}. Check the regular expression (ripgrep syntax; escape ( ) [ ] { } . * + ? with \\).`);
        const lines = r.stdout.replace(/^\.\//gm, '').trimEnd().split('\n');
        return { llmContent: capOutput(`${lines.length} matching lines:\n${lines.join('\n')}`, 12_000) };
      },
    };
  }
}

const mapSchema = z.object({
  focus_files: z.array(z.string()).optional(),
  focus_symbols: z.array(z.string()).optional(),
  max_tokens: z.number().int().min(128).max(16_384).optional().describe('Size of the map (default 2048)'),
});

export class RepoMapTool implements Tool<typeof mapSchema> {
  readonly name = 'repo_map';
  readonly description =
    'A map of the repository: source files ranked by how much other code depends on them, each with the first line of its definitions (functions, classes, methods, types) and their line numbers. ' +
    'Give `focus_files` or `focus_symbols` to rank what relates to them first.';
  readonly schema = mapSchema;
  readonly map: RepoMap;
  constructor(readonly root: string) {
    this.map = new RepoMap(root);
  }

  invocation(input: z.infer<typeof mapSchema>): Invocation {
    return {
      mutates: false,
      describe: () => 'repo_map',
      run: async () => ({ llmContent: (await this.map.render({ maxTokens: input.max_tokens, focusFiles: input.focus_files, focusSymbols: input.focus_symbols })) || 'No TypeScript or JavaScript source files found.' }),
    };
  }
}
