// Bundles the SDK probe into one CommonJS file that the sandbox's bare Node can run (no node_modules inside).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export async function sdkProbeBundle(): Promise<string> {
  if (cached) return cached;
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./sdk-probe.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return (cached = result.outputFiles[0]!.text);
}
