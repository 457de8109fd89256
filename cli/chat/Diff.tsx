// A unified diff, colored the way people read diffs: additions green, deletions red, hunk headers cyan.
import { Box, Text } from 'ink';
import { diffBody, headLines } from './format.ts';

export function Diff({ text, maxLines = 40 }: { text: string; maxLines?: number }) {
  const { lines, hidden } = headLines(diffBody(text), maxLines);
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <DiffLine key={i} line={line} />
      ))}
      {hidden ? <Text dimColor>… {hidden} more lines</Text> : null}
    </Box>
  );
}

function DiffLine({ line }: { line: string }) {
  if (line.startsWith('+++ ') || line.startsWith('--- ')) return <Text bold>{line}</Text>;
  if (line.startsWith('@@')) return <Text color="cyan">{line}</Text>;
  if (line.startsWith('+')) return <Text color="green">{line}</Text>;
  if (line.startsWith('-')) return <Text color="red">{line}</Text>;
  return <Text dimColor>{line || ' '}</Text>;
}
