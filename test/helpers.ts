import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
// Shared by tests: temporary directories, scripted upstreams, and the real SDK pointed at a gateway socket.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach } from 'vitest';
import type { ResultPromise } from 'execa';
import type { Script } from '../gateway/schema.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A temporary directory removed after the current test. */
export async function tempDir(prefix = 'clade-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Registers cleanup work to run after the current test, last registered first. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export async function scriptFile(script: Script | unknown, dir?: string): Promise<string> {
  const path = join(dir ?? (await tempDir()), 'script.json');
  await writeFile(path, JSON.stringify(script));
  return path;
}

export { sdkOverSocket } from '../gateway/client.ts';

/** A raw HTTP request to a gateway socket, for bodies the SDK would never send. */
export async function rawRequest(socketPath: string, path: string, body: string, method = 'POST'): Promise<{ status: number; headers: Headers; text: string }> {
  const dispatcher = new Agent({ connect: { socketPath } });
  const res = await undiciFetch(`http://gateway${path}`, { method, body: method === 'GET' ? undefined : body, headers: { 'content-type': 'application/json' }, dispatcher });
  return { status: res.status, headers: res.headers as unknown as Headers, text: await res.text() };
}

export const textReply = (text: string) => ({ content: [{ type: 'text' as const, text }], stop_reason: 'end_turn' as const });

/** Resolves with the first line a running command prints on stderr that matches `pattern`. */
export function waitForLine(proc: ResultPromise, pattern: RegExp, timeoutMs: number): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output so far:\n${seen}`)), timeoutMs);
    proc.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

/** Every billed call in every gateway log under `dir`, in integer micro-dollars: what the archive must hold. */
export function loggedMicros(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (name !== 'source.git' && name !== 'deps' && name !== 'node_modules') walk(p);
      } else if (name.endsWith('.jsonl')) {
        for (const line of readFileSync(p, 'utf8').split('\n')) {
          try {
            const r = JSON.parse(line) as { costMicros?: unknown; seq?: unknown; session?: unknown };
            if (typeof r.costMicros === 'number' && typeof r.seq === 'number' && typeof r.session === 'string') total += r.costMicros;
          } catch {
            // a trajectory line or a torn last line: not a billed call
          }
        }
      }
    }
  };
  walk(dir);
  return total;
}

/**
 * The Aider polyglot benchmark snapshot the machine provides beside the checkout (read-only input, never copied into
 * the project); CLADE_POLYGLOT_DIR points elsewhere.
 */
export const POLYGLOT_DIR =
  process.env.CLADE_POLYGLOT_DIR ??
  [fileURLToPath(new URL('../../shared/polyglot-benchmark', import.meta.url)), '/work/shared/polyglot-benchmark'].find((d) => existsSync(join(d, 'SOURCE.md'))) ??
  fileURLToPath(new URL('../../shared/polyglot-benchmark', import.meta.url));

// Found once for the whole run: the C++ image prebuilds Catch's main from the checkout that CLADE_POLYGLOT_DIR names,
// and without it every C++ grade compiles Catch itself (about 30 s). Subprocesses (the CLI) inherit it.
if (existsSync(join(POLYGLOT_DIR, 'SOURCE.md'))) process.env.CLADE_POLYGLOT_DIR ??= POLYGLOT_DIR;

/**
 * The benchmark's tests need the snapshot, here as in CI: without it a file that reads it fails at once with this
 * message, rather than having its tests skipped unseen.
 */
export function requirePolyglot(): void {
  if (!existsSync(join(POLYGLOT_DIR, 'SOURCE.md'))) throw new Error(`the Aider polyglot benchmark snapshot is not at ${POLYGLOT_DIR}; set CLADE_POLYGLOT_DIR to a checkout of it`);
}

/**
 * One language's exercises in the snapshot: `read` one file of an exercise, and `files` of it by path, `.meta/`
 * included, as the importer hands them to cannotBuild and protectedPaths.
 */
export function polyglotExercises(language: string) {
  const root = join(POLYGLOT_DIR, language, 'exercises/practice');
  const read = (exercise: string, file: string) => readFileSync(join(root, exercise, file), 'utf8');
  const files = (exercise: string): Map<string, string> => {
    const out = new Map<string, string>();
    const walk = (rel: string) => {
      for (const e of readdirSync(join(root, exercise, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else out.set(p, read(exercise, p));
      }
    };
    walk('');
    return out;
  };
  return { root, read, files };
}

