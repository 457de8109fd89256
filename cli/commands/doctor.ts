import type { Command } from 'commander';
import { execa } from 'execa';
import { pingDocker } from '../../sandbox/docker.ts';
import { envImageTag, imageExists, imageRecipe } from '../../sandbox/image.ts';
import { LANGUAGE_RUNNERS } from '../../bench/languages/index.ts';
import { gvisorStatus } from '../../sandbox/gvisor.ts';
import { HOST_SANDBOX_FIX, probeHostSandbox } from '../../sandbox/host-sandbox.ts';
import { probeAccess } from '../../gateway/probe-key.ts';
import { parseUpstream } from '../../gateway/upstream-spec.ts';
import { modelOption, modelSpec } from '../model-option.ts';
import { emit, type OutputOptions } from '../output.ts';

interface DoctorFlags extends OutputOptions {
  model?: string | string[];
  modelName: string;
}

interface Check {
  name: string;
  ok: boolean;
  /** A failed required check makes doctor exit 1; an optional one only informs. */
  required: boolean;
  detail: string;
}

async function check(name: string, required: boolean, fn: () => Promise<string>): Promise<Check> {
  try {
    return { name, ok: true, required, detail: await fn() };
  } catch (err) {
    return { name, ok: false, required, detail: (err as Error).message };
  }
}

export function registerDoctor(program: Command): void {
  const cmd = program.command('doctor');
  modelOption(cmd)
    .option('--model-name <name>', 'with --model: the model to check that the upstream serves', 'claude-sonnet-4-6')
    .option('--json', 'print the result as JSON')
    .action(async (opts: DoctorFlags) => {
      const model = modelSpec(opts.model);
      const checks = [
        await check('node', true, async () => {
          const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
          if (major < 20 || (major === 20 && minor < 18)) throw new Error(`Node ${process.versions.node} is too old; install Node 20.18 or newer`);
          return `Node ${process.versions.node}`;
        }),
        await check('docker', true, async () => `engine ${await pingDocker()}`),
        await check('debootstrap', true, async () => {
          const r = await execa('sh', ['-c', 'command -v debootstrap'], { reject: false });
          if (r.exitCode !== 0) throw new Error('debootstrap is missing; run `npx clade setup`');
          return r.stdout.trim();
        }),
        await check('sandbox image', false, async () => {
          const { tag } = await imageRecipe();
          if (!(await imageExists(tag))) throw new Error(`${tag} is not built yet; \`npx clade sandbox build\` builds it (about 90 s)`);
          return tag;
        }),
        // Built on first use by a suite that needs them (Polyglot); listing them says what a first run will build.
        await check('test images', false, async () => {
          const rows = await Promise.all(
            Object.values(LANGUAGE_RUNNERS).map(async (r) => {
              const tag = await envImageTag(await r.image());
              return `${r.language} ${tag}${(await imageExists(tag)) ? '' : ' (not built)'}`;
            }),
          );
          const missing = rows.filter((row) => row.endsWith('(not built)')).length;
          if (missing) throw new Error(`${rows.join('; ')}. The first task of a language builds its image (1–3 min each, offline from Debian packages)`);
          return rows.join('; ');
        }),
        // Optional: gVisor is a second wall some users turn on, never a requirement.
        await check('gvisor', false, async () => {
          const g = await gvisorStatus();
          if (!g.available) throw new Error(`not available${g.inUse ? ', but CLADE_ISOLATION=gvisor asks for it: every sandbox will fail to start' : ''}; \`sudo npx clade setup --gvisor\` installs runsc and registers it with the engine`);
          return `runsc registered with the engine; ${g.inUse ? 'in use (CLADE_ISOLATION=gvisor)' : 'not in use (--isolation gvisor or CLADE_ISOLATION=gvisor turns it on)'}`;
        }),
        await check('bwrap', false, async () => {
          const probe = await probeHostSandbox();
          if (!probe.ok) throw new Error(`${probe.reason}: host mode (\`clade chat\` without --sandbox, \`clade solve --local\`, exported CLIs) refuses to run an agent without it, unless --unsafe-host; fix: ${HOST_SANDBOX_FIX}`);
          return `${probe.version}: host mode runs the agent in it (own PID and network namespaces, .git read-only)`;
        }),
        await check('model key', false, async () => {
          if (!process.env.ANTHROPIC_API_KEY) throw new Error('ANTHROPIC_API_KEY is not set: only scripted (offline) models will work');
          return `ANTHROPIC_API_KEY is set (it stays on the host)${model ? '' : '; --model anthropic checks it with a free call'}`;
        }),
        // A bad key or model name fails every call of a run; a free call finds out before the run spends anything.
        ...(model ? [await check('model access', true, async () => probeAccess(parseUpstream(model), opts.modelName))] : []),
      ];
      const ok = checks.every((c) => c.ok || !c.required);
      emit(opts, { ok, checks }, () => checks.map((c) => `${c.ok ? 'ok  ' : c.required ? 'FAIL' : 'warn'} ${c.name.padEnd(14)} ${c.detail}`).join('\n'));
      if (!ok) process.exitCode = 1;
    });
}
