// The one check for every numeric flag and every --run of every command. Number('x') is NaN, and a NaN limit
// compares false with everything, so a typo would silently remove a budget or a timeout: a bad value must stop the
// command (exit 2) before it does any work.
import { Option } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../lib/usage-error.ts';

export interface NumberRule {
  integer?: boolean;
  min?: number;
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
}

// Plain decimal only: Number() would also take '', '  ', '0x10' and 'Infinity'.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function expected(rule: NumberRule): string {
  const kind = rule.integer ? 'whole number' : 'number';
  const { min, max } = rule;
  if (min !== undefined && max !== undefined && Boolean(rule.minExclusive) === Boolean(rule.maxExclusive)) {
    return rule.minExclusive ? `a ${kind} strictly between ${min} and ${max}` : `a ${kind} from ${min} to ${max}`;
  }
  if (!rule.integer && min === 0 && rule.minExclusive && max === undefined) return 'a positive number';
  const bounds = [min === undefined ? '' : `${rule.minExclusive ? '>' : '≥'} ${min}`, max === undefined ? '' : `${rule.maxExclusive ? '<' : '≤'} ${max}`];
  return `a ${kind} ${bounds.filter(Boolean).join(' and ')}`.trimEnd();
}

/** `value` as a number obeying `rule`; undefined stays undefined (the flag was not given). */
export function numberFlag(flag: string, value: string | undefined, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || (rule.minExclusive ? n > rule.min : n >= rule.min)) &&
    (rule.max === undefined || (rule.maxExclusive ? n < rule.max : n <= rule.max));
  if (!ok) throw new UsageError(`${flag} must be ${expected(rule)}, got ${JSON.stringify(value)}`);
  return n;
}

const rules = new WeakMap<Option, NumberRule>();

/**
 * A numeric option, checked by numberFlag while commander parses the command line, so a bad value fails before the
 * command starts. `flags` is commander's, e.g. '--seed <n>'. Its default is a number, like its parsed value.
 */
export function numberOption(flags: string, description: string, rule: NumberRule, defaultValue?: number): Option {
  const option = new Option(flags, description);
  option.argParser((value: string) => numberFlag(option.long ?? flags, value, rule));
  if (defaultValue !== undefined) option.default(defaultValue);
  rules.set(option, rule);
  return option;
}

/** The rule of an option made by numberOption, so a test can find every numeric flag of the CLI. */
export function numberRuleOf(option: Option): NumberRule | undefined {
  return rules.get(option);
}

/** --run DIR as an absolute path; a file there is refused, before anything could open it as a run folder. */
export function runDirFlag(value: string): string {
  const dir = resolve(value);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--run ${dir} is not a folder: pass the folder of a run (clade evolve --run DIR makes one)`);
  return dir;
}
