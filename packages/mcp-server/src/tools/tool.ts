import { parseInput } from '@memnex/core';
import { type CallToolResult, type ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { type z } from 'zod';
import { requireScope, type SessionContext } from '../auth.js';
import { inputJsonSchema, outputJsonSchema, type JsonSchemaObject } from '../json-schema.js';

/** How a tool is declared: schemas, the scope it needs, and what it does. */
export interface ToolSpec<Input extends z.ZodType, Output extends z.ZodType> {
  name: string;
  title: string;
  description: string;
  /** Arguments; parsed before `run`, failures become `VALIDATION_FAILED` tool errors. */
  input: Input;
  /** Shape of `structuredContent`; published as the tool's `outputSchema`. */
  output: Output;
  /** Scope the session's key must hold; checked before the arguments. */
  scope?: string;
  annotations?: ToolAnnotations;
  run(args: z.output<Input>, session: SessionContext): Promise<z.input<Output>>;
  /** The text content of a result; its JSON by default. */
  text?(result: z.input<Output>): string;
}

/** A tool ready to list and call. */
export interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchemaObject;
  outputSchema: JsonSchemaObject;
  annotations?: ToolAnnotations;
  /** Validate `args` and run; throws on failure (the caller turns errors into tool errors). */
  call(args: unknown, session: SessionContext): Promise<CallToolResult>;
}

/** Declare a tool; its JSON schemas are computed once. */
export function defineTool<Input extends z.ZodType, Output extends z.ZodType>(
  spec: ToolSpec<Input, Output>,
): McpTool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: inputJsonSchema(spec.input),
    outputSchema: outputJsonSchema(spec.output),
    ...(spec.annotations ? { annotations: spec.annotations } : {}),
    async call(args, session) {
      if (spec.scope) requireScope(session.auth, spec.scope);
      const parsed = parseInput(spec.input, args ?? {});
      const result = await spec.run(parsed, session);
      return {
        content: [{ type: 'text', text: spec.text?.(result) ?? JSON.stringify(result) }],
        structuredContent: result as Record<string, unknown>,
      };
    },
  };
}

/**
 * Copies records with only the fields `schema` declares: a tool's slimmer view of the engine's
 * records, kept in step with the schema it publishes. The field names are read once.
 */
export function projection<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
): (record: z.output<z.ZodObject<Shape>>) => z.output<z.ZodObject<Shape>> {
  const keys = Object.keys(schema.shape);
  return (record) =>
    Object.fromEntries(
      keys.map((key) => [key, (record as Record<string, unknown>)[key]]),
    ) as z.output<z.ZodObject<Shape>>;
}
