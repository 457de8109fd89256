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

