import { z } from 'zod';

/** A JSON Schema object as tools/list publishes it. */
export type JsonSchemaObject = { type: 'object'; [key: string]: unknown };

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // Draft-07: the SDK's client validates with Ajv's default (draft-07) dialect.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

/** A tool's `inputSchema`: the zod input schema as a draft-07 object schema. */
export function inputJsonSchema(schema: z.ZodType): JsonSchemaObject {
  return { ...toJsonSchema(schema, 'input'), type: 'object' };
}

/** Drop `additionalProperties: false`, so results may gain fields without breaking clients. */
function openObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openObjects);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'additionalProperties' && child === false) continue;
    result[key] = openObjects(child);
  }
  return result;
}

const ERROR_JSON_SCHEMA = {
  type: 'object',
  description: 'Present instead of the result when the call failed (isError is true).',
  properties: {
    code: { type: 'string', description: 'Stable error code, e.g. VALIDATION_FAILED.' },
    message: { type: 'string' },
    details: { type: 'object' },
  },
  required: ['code', 'message'],
};

/**
 * A tool's `outputSchema`: the result's properties plus an `error` property, with `anyOf`
 * requiring either every result field or `error`. The SDK's client validates `structuredContent`
 * against the output schema even on `isError` results, so error results must conform too.
 */
export function outputJsonSchema(schema: z.ZodType): JsonSchemaObject {
  const success = openObjects(toJsonSchema(schema, 'output')) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return {
    type: 'object',
    properties: { ...success.properties, error: ERROR_JSON_SCHEMA },
    anyOf: [{ required: success.required ?? [] }, { required: ['error'] }],
  };
}
