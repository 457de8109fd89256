// --variant ID --run DIR: run an archived variant instead of the seed, for the commands that run an agent.
import type { Command } from 'commander';
import { variantAgentDir } from '../evolve/workdir.ts';
import { progress } from './output.ts';
import { UsageError } from '../lib/usage-error.ts';
import { DEFAULT_RUN_DIR } from '../evolve/open-run.ts';

export interface VariantFlags {
  agentDir?: string;
  variant?: string;
  run: string;
}

export function variantOptions(cmd: Command): Command {
  return cmd
    .option('--agent-dir <dir>', 'an agent folder to run instead of the seed agent')
    .option('--variant <id>', 'an archived variant to run instead of the seed agent (see clade archive ls)')
    .option('--run <dir>', 'the run whose archive holds --variant', DEFAULT_RUN_DIR);
}

/** The agent folder to run, and what to clean up afterwards. */
export async function agentDirFrom(flags: VariantFlags): Promise<{ agentDir?: string; remove: () => Promise<void> }> {
  if (flags.variant && flags.agentDir) throw new UsageError('give --variant or --agent-dir, not both');
  if (!flags.variant) return { agentDir: flags.agentDir, remove: async () => {} };
  // A wrong --run or --variant throws UsageError (exit 2); a failed checkout or install is a real failure.
  const { dir, remove } = await variantAgentDir(flags.run, flags.variant, progress);
  return { agentDir: dir, remove };
}
