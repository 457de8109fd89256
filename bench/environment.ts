// Which image a task's agent works in and its hidden tests run in: the task's own (an imported SWE-bench environment),
// its runner's environment image (built once per set of inputs, cached by hash), or the sandbox image.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEnvImage, envImageTag, imageExists, type Log } from '../sandbox/image.ts';
import { withLock } from '../lib/lock.ts';
import { isLanguageRunner, LANGUAGE_RUNNERS } from './languages/index.ts';
import type { LanguageRunnerName } from './languages/names.ts';
import type { Task } from './task.ts';

const ensured = new Map<string, Promise<string>>();
/** Two Clade processes (a validation and a test, two runs) must not build the same image at once. */
const LOCKS = join(process.env.CLADE_LOCK_DIR ?? tmpdir(), 'clade-image-locks');
/** A build on a loaded two-core machine has taken 20 minutes; a waiter gives up well after that. */
const BUILD_WAIT_MS = 60 * 60_000;

export async function taskImage(task: Task, sandboxImage: string, log?: Log): Promise<string> {
  if (task.meta.image) return task.meta.image;
  const runner = task.meta.runner;
  if (!isLanguageRunner(runner)) return sandboxImage;
  return runnerImage(runner, log);
}

/** The tag of a language runner's environment image, built if this machine does not have it yet. */
export function runnerImage(runner: LanguageRunnerName, log?: Log): Promise<string> {
  // One build per runner per process, however many tasks ask at once; a lock across processes.
  let tag = ensured.get(runner);
  if (!tag) {
    tag = LANGUAGE_RUNNERS[runner]
      .image()
      .then(async (spec) => {
        // An image that exists needs no lock: only a build waits for another process's build.
        const tag = await envImageTag(spec);
        if (await imageExists(tag)) return tag;
        return (await withLock(join(LOCKS, spec.name), () => ensureEnvImage(spec, { log }), BUILD_WAIT_MS)).tag;
      });
    ensured.set(runner, tag);
    tag.catch(() => ensured.delete(runner));
  }
  return tag;
}
