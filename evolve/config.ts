// What a run was started with, stored in its archive: a resume must continue the same experiment, or say that it does
// not. Only what changes the run's results is compared; limits on how long it goes on (budget, evaluations, hours,
// parallelism) may change from one invocation to the next.

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
  demo: boolean;
}

/** The flag a user changes to change each stored value, for messages that say what to do. */
const FLAGS: Record<keyof RunConfig, string> = {
  policy: '--policy',
  seed: '--seed',
  stage1: '--split/--tasks',
  stage2: '--stage2',
  stage2Threshold: '--threshold',
  model: '--model-name',
  upstream: '--model',
  caps: '--diagnose-cap-usd/--modify-cap-usd/--task-cap-usd',
  taskTimeoutSec: '--task-timeout',
  demo: '--demo',
};

export interface ConfigDifference {
  key: keyof RunConfig;
  flag: string;
  stored: unknown;
  given: unknown;
}

/** What differs between the stored config and the one given; keys an older archive did not store are not compared. */
export function configDifferences(stored: Partial<RunConfig>, given: RunConfig): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  for (const key of Object.keys(FLAGS) as Array<keyof RunConfig>) {
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
