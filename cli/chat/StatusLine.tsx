// One line under the prompt: what the session has used so far, and what the keys do right now. The model's name
// is in the transcript (the agent's ready line), which leaves room for the figures on a narrow terminal.
import { Box, Text } from 'ink';
import { dollars, tokens } from './format.ts';
import type { Usage } from './state.ts';

export interface StatusProps {
  model?: string;
  usage: Usage;
  busy: boolean;
  cancelling: boolean;
  quitArmed: boolean;
}

export function StatusLine({ model, usage, busy, cancelling, quitArmed }: StatusProps) {
  const hint = !model ? 'starting the agent…' : cancelling ? 'cancelling…' : busy ? 'working… Esc cancels' : 'Esc cancels a turn · Ctrl-C twice quits';
  return (
    <Box justifyContent="space-between">
      <Text dimColor wrap="truncate-end">
        tokens {tokens(usage.inputTokens)} in / {tokens(usage.outputTokens)} out · {dollars(usage.costUsd)} · context {tokens(usage.contextTokens)}
      </Text>
      {/* The hint never shrinks: the usage figures give way to it, with an ellipsis, on a narrow terminal. */}
      <Box flexShrink={0} marginLeft={2}>
        {quitArmed ? <Text color="yellow">press Ctrl-C again to quit</Text> : <Text dimColor>{hint}</Text>}
      </Box>
    </Box>
  );
}
