// --model, shared by every command that reaches a model: `anthropic`, `scripted:FILE`, or `openai-compatible URL`
// (two words, as users type it; `openai-compatible:URL` works too).
import type { Command } from 'commander';

export const MODEL_HELP = 'anthropic (needs ANTHROPIC_API_KEY) | openai-compatible URL | scripted:FILE';

export function modelOption(cmd: Command, defaultValue?: string): Command {
  return cmd.option('--model <upstream...>', MODEL_HELP, defaultValue);
}

/** The upstream as one string for parseUpstream: the words of a variadic --model joined back together. */
export function modelSpec(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(' ') : value;
}
