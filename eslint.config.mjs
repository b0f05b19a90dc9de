// ESLint (typescript-eslint): rules that catch real bugs only. Formatting is Prettier's (npm run lint runs both;
// `npm run format` rewrites).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Production code is checked with type information (a promise nobody awaits or catches, an async callback where
// the caller ignores the promise): on the order path those are lost orders and crashed processes.
const TYPED = ['api/src/**/*.ts', 'plugins/*/src/**/*.ts', 'web/app/**/*.{ts,tsx}'];

export default tseslint.config(
  {
    // Tests already carry disable comments for require(): with the rule off there, they are not news
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'web/build/**',
      'web/.cache/**',
      'web/app/graphql/generated/**',
      'coverage/**',
      'test-results/**',
      '.data/**',
    ],
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023 },
    rules: { 'no-useless-assignment': 'off' },
  },
  {
    // Browser tests: page.evaluate callbacks run in the page
    files: ['web/test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // TypeScript checks these itself
      'no-undef': 'off',
      'no-redeclare': 'off',
      // Style, not bugs
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      'prefer-const': 'off',
      // Initial values that a branch overwrites, and NUL bytes matched on purpose: noise, not bugs
      'no-useless-assignment': 'off',
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // React event handlers may be async (the attribute ignores the promise by design)
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Remix loaders and actions throw Responses (redirect, json) by design
    files: ['web/app/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/only-throw-error': 'off' },
  },
  {
    // Tests load plugins by path at run time, as the api does
    files: ['**/test/**/*.{ts,tsx}', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
