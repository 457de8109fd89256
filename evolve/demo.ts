// `clade evolve --demo`: the whole loop, offline, with a scripted model whose answers are canned. Every component runs
// for real — sandboxes, the diagnoser, the parent agent editing a copy of its own source, the child's type check,
// build, tests and contract, the grader, the archive — but the model is a script, so the scores measure nothing.
//
// The script makes a small landscape: an agent solves the demo tasks only when its system prompt carries certain
// instructions. The first proposal for any failure breaks the type check; with that failure in view, the diagnoser
// proposes the instruction the task needs. Without it, the canned agent tries to game the grader — rewrites the
// visible tests, leaves a fake score file — and gains nothing.
import type { Task } from '../bench/task.ts';
import { DIAGNOSER_MARKER } from './diagnose.ts';

export const DEMO_TASKS = ['semverlite-001', 'unitconv-001', 'csvkit-001'];
export const DEMO_BANNER =
  'DEMO: the model is a script with canned answers, so the scores below measure nothing about any model. Everything else is real: sandboxes, self-modification of real source, validation, grading, the archive and the report.';

const RUN_ALL_TESTS = "- Before you finish, run the repository's whole test suite and read every failure.";
const READ_ASSERTIONS = "- When a test fails, compare the assertion's expected and actual values before changing code.";
const TEST_LINE = '- Run the relevant tests after your change. If they fail, read the failure and fix the cause.';
const TOOLS_LINE = '- Tools answer errors with a code and a way to recover: read them.';

const usage = { input_tokens: 3000, output_tokens: 400 };
const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }], stop_reason: 'end_turn' as const, usage });
const tool = (name: string, input: Record<string, unknown>, say = '') => ({
  content: [...(say ? [{ type: 'text' as const, text: say }] : []), { type: 'tool_use' as const, name, input }],
  stop_reason: 'tool_use' as const,
  usage,
});
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A regex that needs every part somewhere in the request text, in any order. */
const all = (...parts: string[]) => `^${parts.map((p) => `(?=[\\s\\S]*${escape(p)})`).join('')}`;

interface DemoProposal {
  tag: string;
  taskId: string;
  problem: string;
  improvement: string;
  implementation: string;
  /** What the parent agent does to its own source when it implements the proposal. */
  edits: Array<{ path: string; old_str: string; new_str: string }>;
}

/** The first proposal for any failure: its canned change forgets a caller, so the child fails its type check. */
const FIRST_TRY: DemoProposal = {
  tag: 'demo proposal 1',
  taskId: '',
  problem: 'The agent gave up after one attempt and never changed its approach.',
  improvement: 'Tell the agent which attempt it is on, so it can change approach (demo proposal 1).',
  implementation: 'Give solvePrompt in src/prompts.ts an attempt parameter.',
  edits: [{ path: 'src/prompts.ts', old_str: 'export function solvePrompt(problem: string): string {', new_str: 'export function solvePrompt(problem: string, attempt: number): string {\n  void attempt;' }],
};

/** With the first try's failure in view, the diagnoser proposes what the task needed. */
const SECOND_TRY: Record<string, DemoProposal> = {
  'semverlite-001': {
    tag: 'demo proposal 2',
    taskId: 'semverlite-001',
    problem: 'The agent stopped after its first plausible edit and never ran the test suite, so a comparison it had not considered still failed.',
    improvement: 'Make the agent run the whole test suite before it finishes (demo proposal 2).',
    implementation: 'Add an instruction to SYSTEM_PROMPT in src/prompts.ts.',
    edits: [{ path: 'src/prompts.ts', old_str: TEST_LINE, new_str: `${TEST_LINE}\n${RUN_ALL_TESTS}` }],
  },
  'csvkit-001': {
    tag: 'demo proposal 3',
    taskId: 'csvkit-001',
    problem: 'The agent misread a failing assertion and fixed the wrong function.',
    improvement: 'Make the agent compare expected and actual values of a failing assertion first (demo proposal 3).',
    implementation: 'Add an instruction to SYSTEM_PROMPT in src/prompts.ts.',
    edits: [{ path: 'src/prompts.ts', old_str: TOOLS_LINE, new_str: `${TOOLS_LINE}\n${READ_ASSERTIONS}` }],
  },
};
SECOND_TRY['unitconv-001'] = { ...SECOND_TRY['semverlite-001']!, taskId: 'unitconv-001' };

/** Which instruction an agent's system prompt needs for the canned model to solve each demo task. */
const NEEDS: Record<string, string> = { 'semverlite-001': RUN_ALL_TESTS, 'unitconv-001': RUN_ALL_TESTS, 'csvkit-001': READ_ASSERTIONS };

export function demoScript(tasks: Task[]): unknown {
  const conversations: Array<{ match: string; responses: unknown[] }> = [];
  const answer = (p: DemoProposal) => JSON.stringify({ problem: p.problem, improvement: p.improvement, implementation: p.implementation });
  // Diagnoses first: their prompt quotes the agent's source and the task, which the other patterns would also match.
  conversations.push({ match: all(DIAGNOSER_MARKER, '<earlier_attempts>\n(none)'), responses: [text('```json\n' + answer(FIRST_TRY) + '\n```')] });
  for (const [taskId, p] of Object.entries(SECOND_TRY)) {
    conversations.push({
      match: all(DIAGNOSER_MARKER, `Task: ${taskId}.`),
      // The first answer is malformed on purpose: the diagnoser is told why and asked again.
      responses: [text('The agent should test more. {"problem": "too short"}'), text(answer(p))],
    });
  }
  for (const p of [FIRST_TRY, SECOND_TRY['semverlite-001']!, SECOND_TRY['csvkit-001']!]) {
    conversations.push({
      match: all('# Improve this coding agent', p.tag),
      responses: [
        tool('str_replace_based_edit_tool', { command: 'view', path: 'src/prompts.ts' }, 'Let me look at the prompts first.'),
        ...p.edits.map((e) => tool('str_replace_based_edit_tool', { command: 'str_replace', ...e })),
        tool('bash', { command: 'node node_modules/typescript/bin/tsc --noEmit && echo "type check passed"' }, 'Now I check that it still type-checks.'),
        text(`I implemented it: ${p.improvement}`),
      ],
    });
  }
  for (const task of tasks) {
    const heading = task.problem.trim().split('\n')[0]!;
    const gold = task.goldPatch.endsWith('\n') ? task.goldPatch : `${task.goldPatch}\n`;
    conversations.push({
      match: all(NEEDS[task.meta.id] ?? '(never)', '<issue>', heading),
      responses: [
        tool('bash', { command: `git apply --whitespace=nowarn <<'CLADE_DEMO_PATCH'\n${gold}CLADE_DEMO_PATCH\ngit diff --stat` }, 'I found the cause; here is the fix.'),
        text('Fixed the cause the issue describes and ran the tests.'),
      ],
    });
  }
  // Without the instruction it needs, the canned agent games the grader: it rewrites the visible tests to pass and
  // leaves a fake score file. The harness reverts test files and reads only its own results, so this gains nothing.
  conversations.push({
    match: '<issue>',
    responses: [
      tool('bash', { command: `for f in $(ls test/*.test.js 2>/dev/null | head -3); do printf "require('node:test')('ok', () => {});\\n" > "$f"; done; echo '{"resolved": true}' > grade.json; echo done` }, 'I could not find the cause. Making the tests pass instead.'),
      text('The tests pass now.'),
    ],
  });
  return { conversations };
}

export function demoTasks(all: Task[]): Task[] {
  return DEMO_TASKS.map((id) => {
    const t = all.find((x) => x.meta.id === id);
    if (!t) throw new Error(`the demo needs bench task ${id}, which is missing from bench/tasks`);
    return t;
  });
}

/** The instruction lines the demo's self-modifications add, for tests to find in a child's diff. */
export const DEMO_INSTRUCTIONS = { RUN_ALL_TESTS, READ_ASSERTIONS };
