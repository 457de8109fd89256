// How `clade evolve` ends: a first signal lets the running steps finish, a second quits at once, npm going away takes
// the run with it, and none of these leaves a container running until its dead-man timer. And a model that only ever
// writes broken children stops the run instead of being asked forever.
import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { Archive } from '../archive/archive.ts';
import { dockerClient } from '../sandbox/docker.ts';
import { ownerAlive } from '../sandbox/sweep.ts';
import { DIAGNOSER_MARKER } from '../evolve/diagnose.ts';
import { scriptFile, tempDir, textReply, waitForLine } from './helpers.ts';

const CHECKOUT = join(import.meta.dirname, '..');

const owned = async (pid: number) => (await dockerClient().listContainers({ all: true, filters: { label: [`clade.owner=${hostname()}:${pid}`] } })).map((c) => c.Id);

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function demo(run: string, maxEvals: number, command: string[] = ['node', 'bin/clade.js']): ResultPromise {
  return execa(command[0]!, [...command.slice(1), 'evolve', '--demo', '--run', run, '--max-evals', String(maxEvals), '--parallel', '2', '--json'], { cwd: CHECKOUT, reject: false, all: true, detached: true });
}

describe('clade evolve, interrupted', () => {
  it('lets running steps finish on the first SIGTERM and quits at once on the second, leaving no container', async () => {
    const run = await tempDir();
    const first = demo(run, 6);
    await until('a sandbox of the run', 180_000, async () => ((await owned(first.pid!)).length ? true : undefined));
    process.kill(first.pid!, 'SIGTERM');
    await waitForLine(first, /stopping: the steps running now finish first/, 10_000);
    const r1 = await first;
    // A stopped run is resumable, not finished, and its exit code says it was interrupted.
    expect(r1.exitCode, String(r1.all)).toBe(143);
    expect(JSON.parse(String(r1.stdout)).stopReason).toBe('stopped by SIGTERM');
    expect(await owned(first.pid!)).toEqual([]);
    const archive = await Archive.open(run);
    const finished = archive.evaluations().length;
    archive.close();
    // The steps that were running when the signal came were finished and recorded, not dropped.
    expect(finished).toBeGreaterThan(0);

    const second = demo(run, 6);
    await until('a sandbox of the resumed run', 180_000, async () => ((await owned(second.pid!)).length ? true : undefined));
    process.kill(second.pid!, 'SIGTERM');
    await waitForLine(second, /stopping/, 10_000);
    process.kill(second.pid!, 'SIGTERM');
    const r2 = await until('the second run to exit', 20_000, () => Promise.race([second, new Promise<undefined>((r) => setTimeout(() => r(undefined), 200))]));
    expect(r2.exitCode, String(r2.all)).toBe(143);
    expect(String(r2.stderr)).toMatch(/SIGTERM: quitting now; removed \d+ sandbox\(es\)/);
    // No sweep of a later run tidies up here: what removes them is the process itself, or the docker process it hands
    // the removal to when a file copy of its own holds the containers (sandbox/teardown.ts), within seconds.
    await until('its sandboxes to be removed', 15_000, async () => ((await owned(second.pid!)).length ? undefined : true));
  }, 600_000);

  it('through npx, quits with npm when npm exits on a signal, leaving no container', async () => {
    const run = await tempDir();
    const proc = demo(run, 6, ['npx', 'clade']);
    // npx's own process is npm; the clade process is the one that owns sandboxes.
    const clade = await until('a sandbox of the run', 240_000, async () => {
      const containers = await dockerClient().listContainers({ filters: { label: ['clade.sandbox'] } });
      for (const c of containers) {
        const pid = Number(c.Labels['clade.owner']?.split(':')[1]);
        const cmdline = await execa('cat', [`/proc/${pid}/cmdline`], { reject: false });
        if (cmdline.stdout.includes(run)) return pid;
      }
      return undefined;
    });
    expect(clade).not.toBe(proc.pid);
    // As `kill PID` on the npx process does: npm exits at once, and does not pass the signal on.
    process.kill(proc.pid!, 'SIGTERM');
    await until('npm to exit', 10_000, () => (ownerAlive(`${hostname()}:${proc.pid}`) ? undefined : true));
    try {
      await until('the clade process to end after npm', 15_000, () => (ownerAlive(`${hostname()}:${clade}`) ? undefined : true));
      await until('its sandboxes to be removed', 15_000, async () => ((await owned(clade)).length ? undefined : true));
    } finally {
      // Left running, it would hold the pipes execa waits on.
      if (ownerAlive(`${hostname()}:${clade}`)) process.kill(clade, 'SIGKILL');
      await proc;
    }
  }, 600_000);
});

describe('clade evolve, with a model that only writes broken children', () => {
  it('stops after five invalid children in a row', async () => {
    const dir = await tempDir();
    const proposal = { problem: 'The agent gives up early.', improvement: 'Tell the agent its attempt number.', implementation: 'Add a parameter to solvePrompt in src/prompts.ts.' };
    const script = await scriptFile(
      {
        conversations: [
          { match: DIAGNOSER_MARKER.replace('.', '\\.'), responses: [textReply('```json\n' + JSON.stringify(proposal) + '\n```')] },
          {
            match: '# Improve this coding agent',
            responses: [
              {
                content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'str_replace', path: 'src/prompts.ts', old_str: 'export function solvePrompt(problem: string): string {', new_str: 'export function solvePrompt(problem: string, attempt: number): string {\n  void attempt;' } }],
                stop_reason: 'tool_use',
              },
              textReply('Done.'),
            ],
          },
          { match: '<issue>', responses: [textReply('I could not find the cause.')] },
        ],
      },
      dir,
    );
    // --max-hours is only a backstop: without the rule, broken children would be asked for until time runs out.
    const r = await execa('node', ['bin/clade.js', 'evolve', '--run', join(dir, 'run'), '--model', `scripted:${script}`, '--policy', 'greedy', '--tasks', 'semverlite-001', '--max-evals', '20', '--max-hours', '0.3', '--parallel', '2', '--json'], { cwd: CHECKOUT, reject: false, all: true });
    expect(r.exitCode, String(r.all)).toBe(0);
    const summary = JSON.parse(String(r.stdout));
    expect(summary.stopReason, String(r.stderr)).toMatch(/^\d+ self-modifications in a row made no valid child/);
    // Two run at once, so the one in flight when the fifth failed also finishes: five or six, never more.
    expect(summary.invalid).toBeGreaterThanOrEqual(5);
    expect(summary.invalid).toBeLessThanOrEqual(6);
  }, 1_500_000);
});
