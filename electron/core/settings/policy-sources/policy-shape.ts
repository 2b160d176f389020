/**
 * The policy document's shape, walked from the one policy schema (PolicyFile) through its JSON
 * Schema, so that the registry reader, the ADMX templates and the configuration profile follow
 * every key the schema gains without being edited.
 */
import { z } from 'zod';
import { PolicyFile } from '../policy-schema.js';

export type Choice = string | number | boolean;

export type PolicyShape =
  | GroupShape
  | { kind: 'boolean' }
  | { kind: 'integer'; minimum?: number; maximum?: number }
  | { kind: 'string'; maxLength?: number }
  | { kind: 'choice'; options: Choice[] }
  /** A list of strings. */
  | { kind: 'list' }
  /** A list of objects, such as communities. */
  | { kind: 'records'; item: GroupShape }
  /** Any other shape, given as JSON text where the platform has no way to say it. */
  | { kind: 'json' };

export interface GroupShape {
  kind: 'group';
  fields: PolicyField[];
}

export interface PolicyField {
  key: string;
  /** From the document's root, e.g. ['locked', 'connection', 'proxy', 'port']. */
  path: string[];
  description?: string;
  /** The schema's default, when it has one. */
  defaultValue?: unknown;
  shape: PolicyShape;
}

/** Keys that only mean something in a JSON file. */
const jsonFileOnlyKeys = new Set(['$schema']);

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: Choice[];
  const?: Choice;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  description?: string;
  default?: unknown;
}

/** The shape of the policy file's schema (any other object schema, to try a key the policy file has not got yet). */
export function policyShape(policySchema: z.ZodType = PolicyFile): GroupShape {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return groupShape(schema, []);
}

function groupShape(schema: JsonSchema, path: string[]): GroupShape {
  const fields = Object.entries(schema.properties ?? {})
    .filter(([key]) => !jsonFileOnlyKeys.has(key))
    .map(([key, property]): PolicyField => {
      const fieldPath = [...path, key];
      return {
        key,
        path: fieldPath,
        ...(property.description === undefined ? {} : { description: property.description }),
        ...(property.default === undefined ? {} : { defaultValue: property.default }),
        shape: shapeOf(property, fieldPath),
      };
    });
  return { kind: 'group', fields };
}

function shapeOf(schema: JsonSchema, path: string[]): PolicyShape {
  if (schema.enum) return { kind: 'choice', options: schema.enum };
  if (schema.const !== undefined) return { kind: 'choice', options: [schema.const] };
  switch (schema.type) {
    case 'object':
      return groupShape(schema, path);
    case 'boolean':
      return { kind: 'boolean' };
    case 'integer':
      return { kind: 'integer', ...pick(schema, 'minimum', 'maximum') };
    case 'string':
      return { kind: 'string', ...pick(schema, 'maxLength') };
    case 'array':
      if (schema.items?.type === 'string' && !schema.items.enum) return { kind: 'list' };
      if (schema.items?.type === 'object') return { kind: 'records', item: groupShape(schema.items, []) };
      return { kind: 'json' };
    default:
      return { kind: 'json' };
  }
}

function pick<Key extends keyof JsonSchema>(schema: JsonSchema, ...keys: Key[]): Pick<JsonSchema, Key> {
  return Object.fromEntries(keys.filter((key) => schema[key] !== undefined).map((key) => [key, schema[key]])) as Pick<JsonSchema, Key>;
}

/** Every field that holds a value (not a group), depth first, in the schema's order. */
export function leafFields(group: GroupShape): PolicyField[] {
  return group.fields.flatMap((field) => (field.shape.kind === 'group' ? leafFields(field.shape) : [field]));
}
