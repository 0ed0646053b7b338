import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { MemnexError, type ValidationIssue } from '../../errors.js';

type FormatsPlugin = (ajv: Ajv | Ajv2020) => unknown;
// ajv-formats is CommonJS: its default export arrives wrapped or not depending on the loader.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  formatsModule) as unknown as FormatsPlugin;

const OPTIONS = {
  allErrors: true,
  strict: false,
  // Schemas of different tenants may share an `$id`: never register them in the shared instance.
  addUsedSchema: false,
  validateFormats: true,
} as const;

let dialects: { draft07: Ajv; draft2020: Ajv2020 } | null = null;

function ajvFor(schema: unknown): Ajv | Ajv2020 {
  if (!dialects) {
    const draft07 = new Ajv(OPTIONS);
    const draft2020 = new Ajv2020(OPTIONS);
    addFormats(draft07);
    addFormats(draft2020);
    dialects = { draft07, draft2020 };
  }
  const declared =
    typeof schema === 'object' && schema !== null
      ? (schema as { $schema?: unknown }).$schema
      : undefined;
  if (declared === undefined) return dialects.draft2020;
  if (typeof declared !== 'string') {
    throw invalidSchema([{ path: '/$schema', message: 'must be a string', code: 'type' }]);
  }
  if (/draft-07\/schema#?$/u.test(declared)) return dialects.draft07;
  if (/draft\/2020-12\/schema#?$/u.test(declared)) return dialects.draft2020;
  throw invalidSchema([
    {
      path: '/$schema',
      message: 'only JSON Schema draft 2020-12 and draft-07 are supported',
      code: 'unsupported',
    },
  ]);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Issues of ajv errors, each located by the JSON pointer of the offending value. */
export function issuesOf(errors: readonly ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((error) => {
    const missing =
      error.keyword === 'required'
        ? (error.params as { missingProperty?: string }).missingProperty
        : undefined;
    const path =
      missing === undefined
        ? error.instancePath
        : `${error.instancePath}/${escapePointer(missing)}`;
    return {
      path,
      message: error.message ?? `fails ${error.keyword}`,
      code: error.keyword,
      schemaPath: error.schemaPath,
    } as ValidationIssue;
  });
}

function invalidSchema(issues: ValidationIssue[]): MemnexError {
  return MemnexError.validation(
    issues,
    `invalid schema: ${issues
      .slice(0, 3)
      .map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message))
      .join('; ')}`,
  );
}

/**
 * Check a JSON Schema against its dialect's meta-schema and compile it. Throws
 * `VALIDATION_FAILED` listing every problem when the schema itself is invalid.
 */
export function compileSchema(schema: unknown): ValidateFunction {
  if (
    typeof schema !== 'boolean' &&
    (typeof schema !== 'object' || schema === null || Array.isArray(schema))
  ) {
    throw invalidSchema([
      { path: '', message: 'a schema is an object or a boolean', code: 'type' },
    ]);
  }
  const ajv = ajvFor(schema);
  if (!ajv.validateSchema(schema as object)) throw invalidSchema(issuesOf(ajv.errors));
  try {
    const validate = ajv.compile(schema as object);
    // Compiled functions outlive the instance's cache entry; dropping it keeps memory flat.
    if (typeof schema === 'object') ajv.removeSchema(schema as object);
    return validate;
  } catch (error) {
    throw invalidSchema([
      {
        path: '',
        message: error instanceof Error ? error.message : String(error),
        code: 'compile',
      },
    ]);
  }
}

/** Schema errors spelled out in a message at most; `details.issues` always holds every one. */
const LISTED_ISSUES = 50;

/**
 * `VALIDATION_FAILED` for a value refused by the schema of `pattern`: the message names the
 * pattern and spells out each error at its JSON pointer (up to 50), `details.issues` holds all.
 */
export function schemaViolation(pattern: string, issues: ValidationIssue[]): MemnexError {
  const listed = issues
    .slice(0, LISTED_ISSUES)
    .map((issue) => `${issue.path === '' ? 'the value' : issue.path} ${issue.message}`);
  if (issues.length > LISTED_ISSUES) {
    listed.push(`${issues.length - LISTED_ISSUES} more in details.issues`);
  }
  return MemnexError.validation(
    issues,
    `the value does not match the schema of ${JSON.stringify(pattern)}: ${listed.join('; ')}`,
  );
}
