// Asks whether a sandboxed agent's changes, shown just above as a diff, go into the user's working tree: y applies
// them, n leaves them in the sandbox's copy, where they come back with the next turn's changes.
import { Box, Text, useInput } from 'ink';

export function PatchPrompt({ applying, onAnswer }: { applying: boolean; onAnswer: (apply: boolean) => void }) {
  useInput(
    (input) => {
      const key = input.toLowerCase();
      if (key === 'y') onAnswer(true);
      else if (key === 'n') onAnswer(false);
    },
    { isActive: !applying },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} marginTop={1}>
      {applying ? (
        <Text color="yellow">applying the changes…</Text>
      ) : (
        <>
          <Text color="yellow" bold>
            Apply these changes to your working tree?
          </Text>
          <Text>
            <Text color="green">[y]</Text> apply <Text color="red">[n]</Text> not now (they stay in the sandbox)
          </Text>
        </>
      )}
    </Box>
  );
}
