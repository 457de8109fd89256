// The one error class for a mistake the user can fix, thrown by any layer (a bad flag, a wrong --run, a malformed
// suite) and turned into exit code 2 by the CLI alone.

/**
 * An error the user can act on (a bad flag, a missing file, a wrong --run): printed as one line without a stack, and
 * the command exits 2. The other exit codes of every command: 0 ok; 1 the work failed or data is damaged; 124 a time
 * limit ran out; 130/143 interrupted (cli/interrupt.ts); `clade sandbox exec` exits with its command's own code.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}
