import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'tests/e2e/screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Typed rules for the TypeScript the two tsconfigs cover (src, tests, bench, configs): a promise
    // nobody awaits or catches fails silently, so each one is awaited, caught or dropped with `void`.
    // The .mjs scripts are plain JavaScript outside the tsconfigs and keep the untyped rules.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The core is a library for every host: it never reaches for Electron, the UI or the CLI.
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'src/core and src/shared never import Electron.' },
          { group: ['**/main/**', '**/renderer/**', '**/cli/**', '**/sandbox/**'], message: 'core depends only on shared.' },
        ],
      }],
    },
  },
  {
    // The sandbox verifies with its own code so a client bug cannot agree with itself.
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/signing/**', '**/core/signing'], message: 'The sandbox never uses core/signing.' }] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'node:*', '**/core/**'], message: 'The renderer talks to window.rolecall only.' }] }],
    },
  },
);
