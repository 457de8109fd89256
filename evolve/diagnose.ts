// Step 3 of self-improvement: a model call, on the host, that reads the parent's source, one failed task's trajectory
// and its hidden test results, and proposes one improvement. The diagnoser may see the hidden results; the agent that
// implements the proposal sees only the proposal. Malformed answers are sent back with the reason, a few times.
import { lstatSync } from 'node:fs';
import { z } from 'zod';
import type Anthropic from '@anthropic-ai/sdk';
import { describeIssues } from '../lib/zod-issues.ts';
import { readVariantFile, walkVariantTree } from '../bench/variant-files.ts';
import type { Proposal } from '../archive/archive.ts';

export const ProposalSchema = z.object({
  problem: z.string().min(10).describe('what went wrong, as evidence from the trajectory'),
  improvement: z.string().min(10).describe('the general improvement to the agent, one or two sentences'),
  implementation: z.string().min(10).describe('how to implement it in the agent source: files and changes'),
});

export const DIAGNOSER_MARKER = 'You are the diagnoser of a self-improving coding agent.';

const SYSTEM = `${DIAGNOSER_MARKER}
The agent's own source code is below, with one task it failed: the issue, what the agent did, and the hidden test
results that graded it. Find the general weakness of the agent that this failure shows (not a fix for this one task),
and propose one improvement to the agent's code, prompts or tools that would help on many tasks like it.
Answer with only a JSON object, no prose around it:
{"problem": "...", "improvement": "...", "implementation": "..."}`;

const SOURCE_LIMIT = 80_000;
const TRAJECTORY_LIMIT = 40_000;

/** The agent's source files as one text, largest-first files trimmed to fit. Read as data: no link followed, capped. */
export function agentSourceText(dir: string, limit = SOURCE_LIMIT): string {
  const files: Array<{ rel: string; size: number }> = [];
  const skip = new Set(['node_modules', 'dist', 'package-lock.json', '.git']);
  walkVariantTree(dir, (rel, full) => {
    if (!rel.split('/').some((part) => part.startsWith('.')) && /\.(ts|mjs|js|json|md)$/.test(rel)) files.push({ rel, size: lstatSync(full).size });
  }, skip);
  let text = '';
  for (const { rel, size } of files) {
    const omitted = `<file path="${rel}" omitted="too long for this prompt"/>\n`;
    if (text.length + size > limit) {
      text += omitted;
      continue;
    }
    const entry = `<file path="${rel}">\n${readVariantFile(dir, rel, limit).toString('utf8')}\n</file>\n`;
    text += text.length + entry.length > limit ? omitted : entry;
  }
  return text;
}

/** The trajectory, with the middle left out when it is long: how it started and how it ended matter most. */
export function trajectoryText(jsonl: string, limit = TRAJECTORY_LIMIT): string {
  if (jsonl.length <= limit) return jsonl;
  return `${jsonl.slice(0, limit / 2)}\n[... ${jsonl.length - limit} characters of the trajectory left out ...]\n${jsonl.slice(-limit / 2)}`;
}

export interface DiagnosisInput {
  agentDir: string;
  taskId: string;
  problem: string;
  trajectory: string;
  patch: string;
  grade: unknown;
  /** What the parent's earlier children tried against this same failure, and how it went: don't propose it again. */
  earlierAttempts: Array<{ improvement: string; outcome: string }>;
}

export function diagnosisPrompt(input: DiagnosisInput): string {
  return [
    `<agent_source>\n${agentSourceText(input.agentDir)}</agent_source>`,
    `<task id="${input.taskId}">\n${input.problem.trim()}\n</task>`,
    `<trajectory>\n${trajectoryText(input.trajectory)}\n</trajectory>`,
    `<patch>\n${input.patch.slice(0, 20_000) || '(the agent changed nothing)'}\n</patch>`,
    `<hidden_test_results>\n${JSON.stringify(input.grade, null, 2).slice(0, 20_000)}\n</hidden_test_results>`,
    `<earlier_attempts>\n${input.earlierAttempts.map((a) => `- ${a.improvement.split('\n')[0]} → ${a.outcome}`).join('\n') || '(none)'}\n</earlier_attempts>`,
    `Task: ${input.taskId}. Propose one improvement as the JSON object described.`,
  ].join('\n\n');
}

/** The first JSON object in a reply, inside a code fence or not. */
export function parseProposal(text: string): { proposal?: Omit<Proposal, 'taskId'>; error?: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidate = fenced ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let json: unknown;
  try {
    json = JSON.parse(candidate);
  } catch (err) {
    return { error: `the reply is not a JSON object (${(err as Error).message})` };
  }
  const parsed = ProposalSchema.safeParse(json);
  return parsed.success ? { proposal: parsed.data } : { error: `the JSON does not match the schema: ${describeIssues(parsed.error)}` };
}

export interface DiagnosisResult {
  proposal?: Proposal;
  error?: string;
  attempts: number;
}

/** Asks for a proposal up to `attempts` times; the model sees why each malformed answer was refused. */
export async function diagnose(client: Anthropic, model: string, input: DiagnosisInput, attempts = 3): Promise<DiagnosisResult> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: diagnosisPrompt(input) }];
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const reply = await client.messages.create({ model, max_tokens: 4096, system: SYSTEM, messages });
    const text = reply.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    const parsed = parseProposal(text);
    if (parsed.proposal) return { proposal: { taskId: input.taskId, ...parsed.proposal }, attempts: attempt };
    error = parsed.error!;
    messages.push({ role: 'assistant', content: text || '(empty)' }, { role: 'user', content: `Your answer was refused: ${error}. Answer again with only the JSON object {"problem", "improvement", "implementation"}, each a non-empty string.` });
  }
  return { error: `no valid proposal after ${attempts} attempts; last problem: ${error}`, attempts };
}

/** The problem statement the parent agent gets when it modifies its own copy. */
export function modificationProblem(proposal: Proposal): string {
  return `# Improve this coding agent

The repository in your working directory is the source code of a coding agent: yours. A diagnosis of its work on a
task found this:

## What went wrong
${proposal.problem.trim()}

## The improvement to make
${proposal.improvement.trim()}

## How to implement it
${proposal.implementation.trim()}

Implement the improvement in this repository. Keep the contract in CONTRACT.md: the commands, the trajectory format and
the session protocol must keep working, because every variant is checked against them. Keep \`npm test\` passing
(\`node node_modules/typescript/bin/tsc --noEmit\` and \`node node_modules/vitest/vitest.mjs run\`); update or add tests
for what you change. Do not edit anything under node_modules.`;
}
