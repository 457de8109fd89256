// Builds the agent into dist/: one ESM file with every dependency inside, and the WebAssembly grammars beside it.
// The sandbox has Node and nothing else, so dist/ is all a container needs.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/agent.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies call require(); give them one.
  banner: { js: "import { createRequire as __cladeRequire } from 'node:module'; const require = __cladeRequire(import.meta.url);" },
  logLevel: 'warning',
});
const assets = [
  ['web-tree-sitter', 'tree-sitter.wasm'],
  ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
  ['tree-sitter-javascript', 'tree-sitter-javascript.wasm'],
];
for (const [pkg, file] of assets) copyFileSync(join('node_modules', pkg, file), join('dist', file));
