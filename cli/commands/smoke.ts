import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GatewaySession } from '../../gateway/server.ts';
import { ScriptedUpstream } from '../../gateway/upstream.ts';
import { sdkProbeBundle } from '../../gateway/probe/bundle.ts';
import type { Script } from '../../gateway/schema.ts';
import { ensureSandboxImage } from '../../sandbox/image.ts';
import { withSandbox } from '../../sandbox/session.ts';
import { sweepSandboxes } from '../../sandbox/sweep.ts';
import { emit, progress, type OutputOptions } from '../output.ts';

/** Canned answers: the smoke run proves the plumbing, not the model. */
const SMOKE_SCRIPT: Script = {
  responses: [
    { content: [{ type: 'text', text: 'Hello from the scripted model (a canned answer, not a real model).' }], stop_reason: 'end_turn' },
    { content: [{ type: 'text', text: 'I will look around first.' }, { type: 'tool_use', name: 'bash', input: { command: 'ls -la' } }], stop_reason: 'tool_use' },
    { content: [{ type: 'text', text: 'The sandbox answered; the foundation works end to end.' }], stop_reason: 'end_turn' },
  ],
};

export function registerSmoke(program: Command): void {
  program
    .command('smoke')
    .option('--out <dir>', 'where to keep the gateway log', '.clade/smoke')
    .option('--json', 'print the result as JSON')
    .action(async (opts: OutputOptions & { out: string }) => {
      await sweepSandboxes();
      const { tag } = await ensureSandboxImage({ log: progress });
      const outDir = resolve(opts.out, new Date().toISOString().replace(/[:.]/g, '-'));
      await mkdir(outDir, { recursive: true });
      const logPath = join(outDir, 'gateway.jsonl');
      const gateway = await GatewaySession.open({ id: 'smoke', upstream: new ScriptedUpstream(SMOKE_SCRIPT, 'built-in smoke script'), budget: { requests: 10, usd: 1 }, logPath });
      try {
        progress(`sandbox ${tag}: running the SDK probe through ${gateway.socketPath}`);
        const result = await withSandbox({ image: tag, mounts: [gateway.mount], lifetimeSec: 300 }, async (sb) => {
          await sb.writeFiles({ 'probe.cjs': await sdkProbeBundle() });
          return sb.exec(['node', 'probe.cjs', 'create', 'stream', 'stream'], { timeoutSec: 60 });
        });
        await gateway.flush();
        const steps = result.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        const ok = result.exitCode === 0 && steps.length === 3;
        const summary = { ok, exitCode: result.exitCode, steps, spent: gateway.budget.spent, log: logPath, stderr: result.stderr };
        emit(opts, summary, () =>
          [
            'Smoke run (the model is scripted: its answers are canned, and prove only the plumbing):',
            ...steps.map((s) => `  ${String(s.mode).padEnd(6)} ${s.error ? `error ${JSON.stringify(s.error)}` : `${s.stop_reason}: ${describeContent(s.content)}`}`),
            `  gateway: ${gateway.budget.spent.requests} requests, ${gateway.budget.spent.inputTokens} in / ${gateway.budget.spent.outputTokens} out tokens, $${gateway.budget.spent.usd.toFixed(4)}; log ${logPath}`,
            ok ? 'OK' : `FAILED (exit ${result.exitCode})\n${result.stderr}`,
          ].join('\n'),
        );
        if (!ok) process.exitCode = 1;
      } finally {
        await gateway.close();
      }
    });
}

function describeContent(content: unknown): string {
  return (content as Array<{ type: string; text?: string; name?: string; input?: unknown }>)
    .map((b) => (b.type === 'text' ? JSON.stringify(b.text) : b.type === 'tool_use' ? `tool_use ${b.name}(${JSON.stringify(b.input)})` : b.type))
    .join(' + ');
}
