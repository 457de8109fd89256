// What a run was started with, stored in its archive: a resume must continue the same experiment, or say that it does
// not. Only what changes the run's results is compared; limits on how long it goes on (budget, evaluations, hours,
// parallelism) may change from one invocation to the next. The suite is apart: no flag may change it (see SuiteMismatch).
// It is written and read here only, through one schema, so the loop that resumes and the views that show it agree.
import { z } from 'zod';
import type { Archive } from '../archive/archive.ts';

export interface RunConfig {
  policy: string;
  seed: number;
  stage1: string[];
  stage2: string[];
  stage2Threshold: number;
  /** The model name the sessions are pinned to, and the upstream as the user named it. */
  model: string;
  upstream: string;
  caps: { diagnoseUsd: number; modifyUsd: number; taskUsd: number };
  taskTimeoutSec: number;
  /** The agent's turn limit per task; null for the agent's own default. */
  maxTurns: number | null;
  demo: boolean;
  /** The suite the tasks come from: its name, absolute folder and content hash. */
  suite: SuiteRef;
}

export interface SuiteRef {
  name: string;
  path: string;
  hash: string;
}

const SUITE_REF = z.object({ name: z.string(), path: z.string(), hash: z.string() });
const RUN_CONFIG = z.object({
  policy: z.string(),
  seed: z.number(),
  stage1: z.array(z.string()),
  stage2: z.array(z.string()),
  stage2Threshold: z.number(),
  model: z.string(),
  upstream: z.string(),
  caps: z.object({ diagnoseUsd: z.number(), modifyUsd: z.number(), taskUsd: z.number() }),
  taskTimeoutSec: z.number(),
  maxTurns: z.number().nullable(),
  demo: z.boolean(),
  suite: SUITE_REF,
}) satisfies z.ZodType<RunConfig>;

export function writeRunConfig(archive: Archive, config: RunConfig): void {
  archive.setMeta('config', JSON.stringify(RUN_CONFIG.parse(config)));
}

/**
 * The config a run recorded. Older runs lack fields, and a row damaged by hand must not hide the variants (which are
 * the point of inspecting): each field is kept only if it is valid, and unreadable JSON reads as no config.
 */
export function readRunConfig(archive: Archive): Partial<RunConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(archive.getMeta('config') ?? '{}');
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(RUN_CONFIG.shape)) {
    const field = schema.safeParse((raw as Record<string, unknown>)[key]);
    if (field.success) out[key] = field.data;
  }
  return out as Partial<RunConfig>;
}

/** The settings a user may change on resume with --change-config: everything but the suite. */
type Changeable = Exclude<keyof RunConfig, 'suite'>;

/** The flag a user changes to change each stored value, for messages that say what to do. */
const FLAGS: Record<Changeable, string> = {
  policy: '--policy',
  seed: '--seed',
  stage1: '--split/--tasks',
  stage2: '--stage2',
  stage2Threshold: '--threshold',
  model: '--model-name',
  upstream: '--model',
  caps: '--diagnose-cap-usd/--modify-cap-usd/--task-cap-usd',
  taskTimeoutSec: '--task-timeout',
  maxTurns: '--max-turns',
  demo: '--demo',
};

export interface ConfigDifference {
  key: Changeable;
  flag: string;
  stored: unknown;
  given: unknown;
}

/** What differs between the stored config and the one given; keys an older archive did not store are not compared. */
export function configDifferences(stored: Partial<RunConfig>, given: RunConfig): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  for (const key of Object.keys(FLAGS) as Changeable[]) {
    if (!(key in stored)) continue;
    if (JSON.stringify(stored[key]) !== JSON.stringify(given[key])) out.push({ key, flag: FLAGS[key], stored: stored[key], given: given[key] });
  }
  return out;
}

/** A resume whose flags would change the experiment, refused unless the user says --change-config. */
export class ConfigMismatch extends Error {
  override readonly name = 'ConfigMismatch';
  constructor(
    readonly runDir: string,
    readonly differences: ConfigDifference[],
  ) {
    const list = differences.map((d) => `${d.flag} was ${show(d.stored)}, now ${show(d.given)}`).join('; ');
    super(`${runDir} was started with other settings: ${list}. Fix: rerun with the run's own settings, use another --run, or pass --change-config to continue with the new ones (the report shows the change)`);
  }
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * The suite a run was started on, against the one given now; undefined when they are the same. A config without a
 * suite (an archive from before suites) was started on the built-in one, whose folder is `builtinPath`; its content
 * was not recorded, so only the folder is compared.
 */
export function suiteMismatch(runDir: string, stored: Partial<RunConfig>, given: SuiteRef, builtinPath: string): SuiteMismatch | undefined {
  const was = stored.suite ?? { name: 'builtin', path: builtinPath, hash: '' };
  if (was.path === given.path && (was.hash === '' || was.hash === given.hash)) return undefined;
  return new SuiteMismatch(runDir, was, given);
}

/** A resume on another suite, or on one whose content changed: refused even with --change-config. */
export class SuiteMismatch extends Error {
  override readonly name = 'SuiteMismatch';
  constructor(
    readonly runDir: string,
    readonly stored: SuiteRef,
    readonly given: SuiteRef,
  ) {
    const hash = (h: string) => (h ? h.slice(0, 12) : 'not recorded');
    const what =
      stored.path === given.path
        ? `the suite at ${given.path} changed since the run started (hash ${hash(stored.hash)}, now ${hash(given.hash)})`
        : `the run was started on the suite ${stored.name} at ${stored.path} (hash ${hash(stored.hash)}), not ${given.name} at ${given.path} (hash ${hash(given.hash)})`;
    super(`${runDir}: ${what}. Scores on different tasks do not mix, so not even --change-config resumes it: resume with the run's own suite, unchanged, or start another --run`);
  }
}
