import { describe, expect, it } from 'vitest';
import { Toolbox, isInvocation } from '../src/tools/index.ts';
import { tempRepo } from './helpers.ts';

// The schema the model sees and the zod schema that validates its calls must describe the same inputs (issue 13).

interface JsonSchema {
  type?: string;
  description?: string;
  enum?: unknown[];
  minLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
}

// A structural check of a value against a JSON schema, for the keywords the tools use. An unknown keyword throws, so a
// schema that grows one gets a rule here instead of passing unchecked; this avoids a JSON-schema validator dependency.
const KEYWORDS = new Set(['type', 'description', 'enum', 'minLength', 'minimum', 'maximum', 'items', 'prefixItems', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties']);
function conforms(schema: JsonSchema | boolean, value: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  for (const k of Object.keys(schema)) if (!KEYWORDS.has(k)) throw new Error(`conforms() has no rule for the keyword "${k}"`);
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const types: Record<string, boolean> = { string: typeof value === 'string', boolean: typeof value === 'boolean', number: typeof value === 'number', integer: Number.isInteger(value), array: Array.isArray(value), object: isObject };
  if (schema.type !== undefined && !types[schema.type]) return false;
  if (schema.enum && !schema.enum.includes(value)) return false;
  if (typeof value === 'string' && value.length < (schema.minLength ?? 0)) return false;
  if (typeof value === 'number' && (value < (schema.minimum ?? -Infinity) || value > (schema.maximum ?? Infinity))) return false;
  if (Array.isArray(value)) {
    if (value.length < (schema.minItems ?? 0) || value.length > (schema.maxItems ?? Infinity)) return false;
    const prefix = schema.prefixItems ?? [];
    if (!value.every((v, i) => conforms(i < prefix.length ? prefix[i]! : (schema.items ?? true), v))) return false;
  }
  if (isObject) {
    const input = value as Record<string, unknown>;
    if (!(schema.required ?? []).every((k) => k in input)) return false;
    if (!Object.entries(input).every(([k, v]) => conforms(schema.properties?.[k] ?? schema.additionalProperties ?? true, v))) return false;
  }
  return true;
}

/** Per tool: inputs the agent must accept, and inputs it must reject. */
const SAMPLES: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  bash: {
    valid: [{ command: 'ls' }, { restart: true }, { command: 'ls', restart: false }, {}],
    invalid: [{ command: 1 }, { restart: 'yes' }, 'ls', null],
  },
  str_replace_based_edit_tool: {
    valid: [
      { command: 'view', path: 'a.ts' },
      { command: 'view', path: 'a.ts', view_range: [1, -1] },
      { command: 'create', path: 'a.ts', file_text: '' },
      { command: 'str_replace', path: 'a.ts', old_str: 'a', new_str: 'b' },
      { command: 'insert', path: 'a.ts', insert_line: 0, new_str: 'x' },
      { command: 'undo_edit', path: 'a.ts' },
    ],
    invalid: [
      { command: 'view', path: 'a.ts', view_range: [1, 2, 3] },
      { command: 'view', path: 'a.ts', view_range: [1] },
      { command: 'view', path: 'a.ts', view_range: [] },
      { command: 'view', path: 'a.ts', view_range: [1.5, 2] },
      { command: 'view', path: 'a.ts', view_range: ['1', '2'] },
      { command: 'view', path: 'a.ts', view_range: '1,2' },
      { command: 'insert', path: 'a.ts', insert_line: 1.5, new_str: 'x' },
      { command: 'insert', path: 'a.ts', insert_line: '3', new_str: 'x' },
      { command: 'create', path: 'a.ts', file_text: 3 },
      { command: 'delete', path: 'a.ts' },
      { command: 'view', path: '' },
      { command: 'view' },
      { path: 'a.ts' },
    ],
  },
  search: {
    valid: [{ pattern: 'foo' }, { pattern: 'foo', path: 'src', glob: '*.ts' }],
    invalid: [{ pattern: '' }, {}, { pattern: 1 }, { pattern: 'foo', glob: ['*.ts'] }],
  },
  repo_map: {
    valid: [{}, { focus_files: ['a.ts'], focus_symbols: ['add'], max_tokens: 2048 }, { max_tokens: 128 }, { max_tokens: 16_384 }],
    invalid: [{ max_tokens: 127 }, { max_tokens: 16_385 }, { max_tokens: 1024.5 }, { max_tokens: '2048' }, { focus_files: 'a.ts' }, { focus_symbols: [1] }],
  },
};

function setup() {
  const box = new Toolbox(tempRepo()); // prepare() starts no shell, so nothing needs closing
  const seen = new Map(box.definitions().map((d) => [d.name, d.input_schema as JsonSchema]));
  return { box, tools: box.tools.map((tool) => ({ tool, json: seen.get(tool.name)! })) };
}

describe('tool input schemas', () => {
  it('are object schemas the Messages API takes: type object, properties, no $schema, draft 2020-12 tuples', () => {
    const { tools } = setup();
    expect(tools.map((t) => t.tool.name)).toEqual(['bash', 'str_replace_based_edit_tool', 'search', 'repo_map']);
    for (const { json } of tools) {
      expect(json.type).toBe('object');
      expect(typeof json.properties).toBe('object');
      expect(json).not.toHaveProperty('$schema');
      for (const k of ['anyOf', 'oneOf', 'allOf']) expect(json).not.toHaveProperty(k);
      // The API rejects draft-07's tuple form `items: [...]`; a tuple must be `prefixItems`.
      expect(JSON.stringify(json)).not.toMatch(/"items":\[/);
    }
  });

  it('name exactly the zod fields, require exactly the non-optional ones, and carry their descriptions', () => {
    const { tools } = setup();
    for (const { tool, json } of tools) {
      const shape = tool.schema.shape;
      const properties = json.properties ?? {};
      expect(Object.keys(properties).sort(), tool.name).toEqual(Object.keys(shape).sort());
      const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
      expect([...(json.required ?? [])].sort(), tool.name).toEqual(required.sort());
      for (const [k, field] of Object.entries(shape)) expect(properties[k]?.description, `${tool.name}.${k}`).toBe(field.description);
    }
  });

  it('accept and reject the same inputs as the validation, for every tool', () => {
    const { box, tools } = setup();
    expect(Object.keys(SAMPLES).sort()).toEqual(tools.map((t) => t.tool.name).sort());
    for (const { tool, json } of tools) {
      const { valid, invalid } = SAMPLES[tool.name]!;
      for (const [inputs, expected] of [[valid, true], [invalid, false]] as const) {
        for (const input of inputs) {
          const label = `${tool.name} ${JSON.stringify(input)}`;
          expect(isInvocation(box.prepare(tool.name, input)), `validation of ${label}`).toBe(expected);
          expect(conforms(json, input), `input_schema of ${label}`).toBe(expected);
        }
      }
    }
  });

  // Proves the check above is not vacuous: it tells apart the schema of issue 13's drift from the generated one.
  it('the structural check catches the old hand-written view_range (any array of integers)', () => {
    const editor = setup().tools.find((t) => t.tool.name === 'str_replace_based_edit_tool')!.json;
    const drifted: JsonSchema = { ...editor, properties: { ...editor.properties, view_range: { type: 'array', items: { type: 'integer' } } } };
    const input = { command: 'view', path: 'a.ts', view_range: [1, 2, 3] };
    expect(conforms(editor, input)).toBe(false);
    expect(conforms(drifted, input)).toBe(true);
  });
});
