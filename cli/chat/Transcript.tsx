// How each finished piece of the conversation looks. These render once, inside <Static>.
import { Box, Text } from 'ink';
import { Diff } from './Diff.tsx';
import { headLines, isDiff, oneLineArgs } from './format.ts';
import type { Item } from './state.ts';

const RESULT_LINES = 8;
const PATCH_LINES = 80;

export function ItemView({ item }: { item: Item }) {
  switch (item.kind) {
    case 'banner':
      return <Text color="magenta">{item.text}</Text>;
    case 'user':
      return (
        <Box marginTop={1}>
          <Text color="cyan" bold>
            {'› '}
          </Text>
          <Text bold>{item.text}</Text>
        </Box>
      );
    case 'assistant':
      return (
        <Box marginTop={item.first ? 1 : 0}>
          {/* A blank line between paragraphs arrives as an empty chunk; an empty Text would take no room. */}
          <Text>{item.text || ' '}</Text>
        </Box>
      );
    case 'thinking':
      return (
        <Box marginTop={1}>
          <Text dimColor italic>
            ✻ {headLines(item.text, 6).lines.join('\n')}
          </Text>
        </Box>
      );
    case 'tool_call':
      return <ToolCall name={item.name} input={item.input} />;
    case 'tool_result':
      return <ToolResult output={item.output} display={item.display} isError={item.isError} />;
    case 'patch':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text wrap="truncate-end">
            <Text color="yellow">● </Text>
            <Text bold>changes made in the sandbox</Text>
            <Text dimColor> (the whole patch: {item.savedTo})</Text>
          </Text>
          <Box paddingLeft={2} flexDirection="column">
            <Text dimColor>{headLines(item.summary, 20).lines.join('\n')}</Text>
            <Diff text={item.diff} maxLines={PATCH_LINES} />
          </Box>
        </Box>
      );
    case 'answer':
      return (
        <Box paddingLeft={2}>
          <Text color={item.denied ? 'yellow' : 'green'}>{item.denied ? `✗ ${item.text}` : `✓ ${item.text}`}</Text>
        </Box>
      );
    case 'notice':
      return (
        <Box marginTop={1}>
          <Text color={item.tone === 'error' ? 'red' : item.tone === 'warn' ? 'yellow' : 'gray'}>{item.tone === 'info' ? item.text : `✗ ${item.text}`}</Text>
        </Box>
      );
  }
}

function ToolCall({ name, input }: { name: string; input: unknown }) {
  return (
    <Box marginTop={1}>
      <Text wrap="truncate-end">
        <Text color="yellow">● </Text>
        <Text bold>{name}</Text>
        <Text dimColor>({oneLineArgs(input)})</Text>
      </Text>
    </Box>
  );
}

function ToolResult({ output, display, isError }: { output: string; display?: string | null; isError: boolean }) {
  const shown = display || output;
  return (
    <Box paddingLeft={2}>
      <Text dimColor>⎿ </Text>
      {!isError && isDiff(shown) ? <Diff text={shown} /> : <Output text={shown} isError={isError} />}
    </Box>
  );
}

function Output({ text, isError }: { text: string; isError: boolean }) {
  const { lines, hidden } = headLines(text || '(no output)', RESULT_LINES);
  return (
    <Box flexDirection="column">
      <Text color={isError ? 'red' : undefined} dimColor={!isError}>
        {lines.join('\n')}
      </Text>
      {hidden ? <Text dimColor>… {hidden} more lines</Text> : null}
    </Box>
  );
}
