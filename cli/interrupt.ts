// How a long command that owns sandboxes ends when it is interrupted. The first SIGINT or SIGTERM asks for a gentle
// stop (the command decides what that means, e.g. "finish the running steps"); a second one, or SIGHUP, ends the
// process at once; and however the process ends, the sandboxes it owns are removed before it goes, so nothing is left
// running until its dead-man timer.
import { removeOwnSandboxesSync } from '../sandbox/teardown.ts';

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export interface Interrupts {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** 130 or 143 once a signal asked the command to stop: its exit code when it finishes; otherwise undefined. */
  exitCode(): number | undefined;
  dispose(): void;
}

export function handleInterrupts(): Interrupts {
  const controller = new AbortController();
  let received: keyof typeof SIGNAL_EXIT | undefined;
  const quitNow = (name: keyof typeof SIGNAL_EXIT, why: string = name) => {
    const removed = removeOwnSandboxesSync();
    try {
      process.stderr.write(`\nclade: ${why}: quitting now${removed ? `; removed ${removed} sandbox(es)` : ''}; rerun the command to resume\n`);
    } catch {
      // A closed stderr must not stop the exit.
    }
    process.exit(SIGNAL_EXIT[name]);
  };
  const onSignal = (name: keyof typeof SIGNAL_EXIT) => {
    if (received || name === 'SIGHUP') return quitNow(name);
    received = name;
    controller.abort(`stopped by ${name}`);
  };
  // npm (`npx clade`, `npm run`) does not pass a signal on to its child: it exits at once, and this process would go on
  // in the background, spending money, after the user's prompt came back. So when npm goes, this process goes too.
  const npmParent = process.env.npm_command ? process.ppid : undefined;
  const orphanWatch = npmParent
    ? setInterval(() => {
        if (process.ppid !== npmParent) quitNow('SIGTERM', 'npm, which started this command, has exited');
      }, 500).unref()
    : undefined;
  const handlers = (Object.keys(SIGNAL_EXIT) as Array<keyof typeof SIGNAL_EXIT>).map((name) => [name, () => onSignal(name)] as const);
  for (const [name, h] of handlers) process.on(name, h);
  // Whatever else ends the process (an uncaught error, process.exit): its containers go with it. This one stays
  // registered after dispose(), until the process ends.
  process.on('exit', () => void removeOwnSandboxesSync());
  // When whoever reads our output goes away first (a closed pipe, a terminal gone), writing raises EPIPE (and later
  // ERR_STREAM_DESTROYED), which would kill this process mid-step; the step should finish instead, and clean up.
  // There is nowhere left to report such an error.
  const ignore = () => {};
  process.stderr.on('error', ignore);
  process.stdout.on('error', ignore);
  return {
    signal: controller.signal,
    exitCode: () => (received ? SIGNAL_EXIT[received] : undefined),
    dispose() {
      for (const [name, h] of handlers) process.off(name, h);
      clearInterval(orphanWatch);
    },
  };
}
