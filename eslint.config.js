// One lint set-up for the whole repository: typescript-eslint's recommended rules, plus the boundaries the
// design asks for (isomorphic packages import no Node built-ins; only the CLI writes to the console).
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-depth': ['error', 4],
      eqeqeq: ['error', 'smart'],
      // A closure may read a variable that is assigned once, later (a server and the tree root refer to each other).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['packages/protocol/src/**', 'packages/scheduler/src/**', 'packages/overlay/src/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'os', 'child_process'] }],
    },
  },
  {
    // Processing modules as users write them (CommonJS), the runtime they require, and their fixtures.
    files: ['examples/**/*.js', '**/*.cjs', 'packages/runtime/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**', '**/bin/*.js', 'packages/pando-computing/scripts/**'],
    languageOptions: { globals: { ...globals.node } },
  },
)
