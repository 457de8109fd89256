// Every command that prints results takes --json: one JSON document on stdout, and nothing else there.

export interface OutputOptions {
  json?: boolean;
}

export function emit(opts: OutputOptions, data: unknown, human: () => string): void {
  process.stdout.write(opts.json ? JSON.stringify(data, null, 2) + '\n' : human().replace(/\n?$/, '\n'));
}

/** Progress lines go to stderr so stdout stays parseable under --json. */
export function progress(line: string): void {
  process.stderr.write(`· ${line}\n`);
}

/**
 * An error the user can act on (a bad flag, a missing file, a wrong --run): printed as one line without a stack, and
 * the command exits 2. The other exit codes of every command: 0 ok; 1 the work failed or data is damaged; 124 a time
 * limit ran out; 130/143 interrupted (cli/interrupt.ts); `clade sandbox exec` exits with its command's own code.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}
