// What a run copies out of its containers onto the host's disk. Each copy has its own cap (a trajectory 256 MiB), but a
// long run of many tasks could still fill the disk 256 MiB at a time; this is the cap for the whole run. One Clade
// process runs one evolve or bench run, so the process-wide budget is the run's.
const MiB = 1024 * 1024;

export class OutputBudget {
  private used = 0;
  constructor(readonly limitBytes: number) {}

  get remaining(): number {
    return Math.max(0, this.limitBytes - this.used);
  }

  /** The cap for the next copy: its own cap, or what is left of the run's, whichever is smaller. */
  cap(perCopy: number): number {
    return Math.min(perCopy, this.remaining);
  }

  take(bytes: number): void {
    this.used += bytes;
  }

  /** What a copy is replaced by once the run's budget is spent: a line that says so, in the trajectory's own format. */
  note(what: string): string {
    return `${JSON.stringify({ type: 'clade_note', note: `${what} not kept: the run's cap of ${Math.round(this.limitBytes / MiB)} MiB on what is copied out of containers is used up (CLADE_RUN_OUTPUT_MB raises it)` })}\n`;
  }
}

function fromEnv(): number {
  const raw = process.env.CLADE_RUN_OUTPUT_MB;
  const mb = raw === undefined ? 4096 : Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`CLADE_RUN_OUTPUT_MB=${raw} must be a positive number of MiB`);
  return mb * MiB;
}

export const RUN_OUTPUT = new OutputBudget(fromEnv());
