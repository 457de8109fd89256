// Bundles the SDK probe into one CommonJS file that the sandbox's bare Node can run (no node_modules inside).
import { build } from 'esbuild';
import { projectPath } from '../../lib/paths.ts';

let cached: string | undefined;

export async function sdkProbeBundle(): Promise<string> {
  if (cached) return cached;
  const result = await build({
    entryPoints: [projectPath('gateway', 'probe', 'sdk-probe.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return (cached = result.outputFiles[0]!.text);
}
