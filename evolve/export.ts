// `clade export`: an archived variant as a standalone CLI. The variant's own build (agent/agent.mjs and its grammars)
// sits next to a launcher bundled by esbuild, with a package.json whose bin makes `npm install -g ./DIR` and `npm pack`
// work, and a README that says where the agent came from and how it scored. The launcher is the CLI's own entry
// (cli/standalone/main.ts), so the CLI passes its path: this layer does not reach up for it.
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { buildAgent } from '../bench/agent-build.ts';
import { wilson } from '../lib/wilson.ts';
import { readRunConfig } from './config.ts';
import { variantAgentDir } from './workdir.ts';
import { UsageError } from '../lib/usage-error.ts';
import { requireVariant, withRun } from './open-run.ts';

/**
 * Ink loads the React devtools only when DEV=true, but a bundle hoists that import to the top; the exported CLI gets
 * an empty stand-in instead of a package it does not ship.
 */
const noDevtools: Plugin = {
  name: 'no-react-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'clade-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'clade-stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

export interface ExportOptions {
  runDir: string;
  variant: string;
  outDir: string;
  name?: string;
  image: string;
  /** The launcher's entry file, which esbuild bundles with everything it imports. */
  launcher: string;
  log?: (line: string) => void;
}

export interface ExportResult {
  outDir: string;
  name: string;
  bin: string;
  files: string[];
}

export async function exportVariant(opts: ExportOptions): Promise<ExportResult> {
  const name = opts.name ?? 'clade-agent';
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new UsageError(`--name "${name}" must be a valid npm package and command name: lowercase letters, digits, ".", "_" and "-"`);
  const outDir = resolve(opts.outDir);
  if (existsSync(outDir) && (await readdir(outDir)).length) throw new UsageError(`${outDir} is not empty; choose a new --out, or empty it first`);

  const facts = await withRun(opts.runDir, async (archive) => {
    const v = requireVariant(archive, opts.variant);
    if (v.status === 'invalid') throw new UsageError(`${v.id} is invalid (${(v.reason ?? '').split('\n')[0]}); export a valid variant (clade archive ls)`);
    const lineage: Array<{ id: string; improvement: string | null; resolved: number; evaluated: number }> = [];
    for (let cur: typeof v | undefined = v; cur; cur = cur.parentId ? archive.get(cur.parentId) : undefined) {
      const evals = archive.evaluations(cur.id);
      lineage.unshift({ id: cur.id, improvement: cur.proposal?.improvement ?? null, resolved: evals.filter((e) => e.status === 'resolved').length, evaluated: evals.length });
    }
    const config = readRunConfig(archive);
    return { variant: v, lineage, config };
  });

  const workdir = await variantAgentDir(opts.runDir, opts.variant, opts.log);
  try {
    opts.log?.(`building ${opts.variant} in a sandbox`);
    const built = await buildAgent(workdir.dir, { image: opts.image, log: opts.log });
    await mkdir(join(outDir, 'agent'), { recursive: true });
    await cp(built.distDir, join(outDir, 'agent'), { recursive: true });
  } finally {
    await workdir.remove();
  }

  const bin = `${name}.mjs`;
  opts.log?.('bundling the launcher with esbuild');
  await build({
    entryPoints: [opts.launcher],
    outfile: join(outDir, bin),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    // Some dependencies are CommonJS and call require(); an ESM bundle has to provide it.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cladeRequire } from 'node:module';\nconst require = __cladeRequire(import.meta.url);" },
    plugins: [noDevtools],
    logLevel: 'error',
  });

  const self = facts.lineage.at(-1)!;
  const version = '1.0.0';
  const model = typeof facts.config.model === 'string' ? facts.config.model : null;
  const info = {
    name,
    version,
    variant: facts.variant.id,
    run: resolve(opts.runDir),
    lineage: facts.lineage.map((l) => l.id),
    score: self.evaluated ? { resolved: self.resolved, evaluated: self.evaluated } : null,
    model,
  };
  await writeFile(join(outDir, 'clade-export.json'), JSON.stringify(info, null, 2) + '\n');
  await writeFile(
    join(outDir, 'package.json'),
    JSON.stringify({ name, version, description: `A coding agent evolved by Clade (variant ${facts.variant.id})`, type: 'module', bin: { [name]: bin }, files: [bin, 'agent/', 'clade-export.json', 'README.md'], engines: { node: '>=20.18.1' }, license: 'MIT' }, null, 2) + '\n',
  );
  await writeFile(join(outDir, 'README.md'), readme(name, facts, model));
  const files = (await readdir(outDir, { recursive: true })).map(String).sort();
  return { outDir, name, bin: join(outDir, bin), files };
}

function readme(name: string, facts: { variant: { id: string }; lineage: Array<{ id: string; improvement: string | null; resolved: number; evaluated: number }>; config: Record<string, unknown> }, model: string | null): string {
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  const rows = facts.lineage.map((l) => {
    const ci = wilson(l.resolved, l.evaluated);
    const score = l.evaluated ? `${l.resolved}/${l.evaluated} (${pct(l.resolved / l.evaluated)}, 95% CI ${pct(ci.low)}–${pct(ci.high)})` : 'not evaluated';
    return `| ${l.id} | ${score} | ${(l.improvement ?? '(the seed agent)').replace(/\|/g, '\\|').split('\n')[0]} |`;
  });
  const demo = facts.config.demo === true;
  return `# ${name}

A coding agent evolved by Clade (a self-improving coding agent), exported from variant **${facts.variant.id}**${demo ? ' of a **demo run**' : ''}.

${demo ? '> This variant comes from `clade evolve --demo`, whose model answers were canned: its scores measure nothing.\n\n' : ''}## Use

\`\`\`bash
npm install -g .        # or: npm pack, then install the tarball anywhere
${name} --version
${name} solve --repo DIR --problem ISSUE.md [--model anthropic|openai-compatible:URL] [--model-name NAME]
${name} chat [--repo DIR] [--yes]
\`\`\`

It needs Node 20 and a model: \`ANTHROPIC_API_KEY\` for the Anthropic API (the default when set), or
\`--model openai-compatible:http://127.0.0.1:11434/v1 --model-name NAME\` for a local server (Ollama, vLLM,
llama.cpp). No Docker: \`solve\` changes the repository in place, and \`chat\` asks before every command and edit
unless \`--yes\`.

On Linux the agent runs in an OS sandbox, which needs bubblewrap (\`apt-get install bubblewrap\`; \`bwrap\` on PATH): its
own PID and network namespaces, no capabilities, the repository writable but its \`.git\` read-only, the rest of the
disk read-only or hidden, and the model reached only through this CLI's socket. Without bubblewrap it refuses to start;
\`--unsafe-host\` runs the agent without a sandbox, as your user, where it can read your API key from this process.

## Where it came from

Evaluated with model **${model ?? 'unknown'}** (upstream ${String(facts.config.upstream ?? 'unknown')}), policy ${String(facts.config.policy ?? 'unknown')}.

| variant | own score | the improvement it made |
|---|---|---|
${rows.join('\n')}
`;
}
