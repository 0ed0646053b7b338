// @ts-check
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The dependency direction of DESIGN §1, enforced per folder:
 * leaf libraries <- core <- storage-*, embeddings, extractors <- servers <- apps;
 * provider-utils (no @memnex dependency) <- embeddings, extractors.
 */
const LAYERS = [
  {
    files: ['packages/{identity,privacy,audit}/src/**/*.ts'],
    forbidden: ['@memnex/*'],
    message: 'Leaf libraries depend on no @memnex package.',
  },
  {
    files: ['packages/provider-utils/src/**/*.ts'],
    forbidden: ['@memnex/*'],
    message: 'Provider utilities depend on no @memnex package; providers pass in their own errors.',
  },
  {
    files: ['packages/core/src/**/*.ts'],
    forbidden: [
      '@memnex/storage-*',
      '@memnex/embeddings',
      '@memnex/extractors',
      '@memnex/provider-utils',
      '@memnex/*-server',
      '@memnex/client',
    ],
    message: 'core depends only on the leaf libraries.',
  },
  {
    files: ['packages/{storage-*,embeddings,extractors}/src/**/*.ts'],
    forbidden: ['@memnex/*-server', '@memnex/client'],
    message: 'Adapters depend on core, never on a server.',
  },
  {
    files: ['packages/runtime/src/**/*.ts'],
    forbidden: ['@memnex/*-server', '@memnex/client'],
    message: 'The composition root wires adapters into the engine; servers come on top of it.',
  },
  {
    files: ['packages/*-server/src/**/*.ts'],
    forbidden: [
      '@memnex/storage-*',
      '@memnex/embeddings',
      '@memnex/extractors',
      '@memnex/provider-utils',
      '@memnex/runtime',
    ],
    message: 'Servers never import an adapter; apps wire them.',
  },
  {
    files: ['packages/client-sdk/src/**/*.ts'],
    // A regex: a gitignore-style group cannot forbid `@memnex/core` yet allow its `wire` subpath.
    forbiddenRegex: '^@memnex/(?!core/wire$)',
    message: 'The client depends only on @memnex/core/wire.',
  },
  {
    files: ['packages/console/src/**/*.{ts,tsx}'],
    forbiddenRegex: '^@memnex/(?!core/wire$)',
    message:
      'The console talks to the server over HTTP; it takes only types from @memnex/core/wire.',
  },
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', '**/.turbo/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Cycles are ours to avoid; dependencies' bundles are not parsed.
      'import-x/no-cycle': ['error', { maxDepth: 8, ignoreExternal: true }],
      eqeqeq: ['error', 'smart'],
    },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  ...LAYERS.map((layer) => ({
    files: layer.files,
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            layer.forbiddenRegex
              ? { regex: layer.forbiddenRegex, message: layer.message }
              : { group: layer.forbidden, message: layer.message },
          ],
        },
      ],
    },
  })),
);
