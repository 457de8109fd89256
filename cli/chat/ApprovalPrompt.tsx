// Asks before a tool that changes something runs: y allows once, a allows for the session, n denies with a reason
// that goes back to the model (so it can do something else rather than retry blindly).
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { oneLineArgs } from './format.ts';
import { TextInput } from './TextInput.tsx';
import type { EventOf } from './transport.ts';

export type Decision = { decision: 'allow' | 'allow_session' } | { decision: 'deny'; reason: string };

export function ApprovalPrompt({ request, onAnswer }: { request: EventOf<'approval_request'>; onAnswer: (d: Decision) => void }) {
  const [denying, setDenying] = useState(false);
  useInput(
    (input) => {
      const key = input.toLowerCase();
      if (key === 'y') onAnswer({ decision: 'allow' });
      else if (key === 'a') onAnswer({ decision: 'allow_session' });
      else if (key === 'n') setDenying(true);
    },
    { isActive: !denying },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} marginTop={1}>
      <Text wrap="truncate-end">
        <Text color="yellow" bold>
          Allow{' '}
        </Text>
        <Text bold>{request.description}</Text>
        <Text color="yellow" bold>
          ?
        </Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        {oneLineArgs(request.input, 400)}
      </Text>
      {denying ? (
        <Box>
          <Text color="red">Reason for denying (Enter sends it to the model): </Text>
          <TextInput
            isActive
            onSubmit={(reason) => {
              onAnswer({ decision: 'deny', reason: reason.trim() });
              return true;
            }}
          />
        </Box>
      ) : (
        <Text>
          <Text color="green">[y]</Text> allow once <Text color="green">[a]</Text> allow for this session <Text color="red">[n]</Text> deny
        </Text>
      )}
    </Box>
  );
}
