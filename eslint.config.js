// One lint set-up for the whole repository: typescript-eslint's recommended rules, type-aware on the packages'
// sources, plus the boundaries the design asks for (a package reaches another only through its public entry;
// isomorphic and browser packages import no Node built-ins; only the CLI writes to the console).
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** The packages' own sources: what type-aware rules, the function-length limit and the boundaries cover. */
const SOURCES = ['packages/*/src/**/*.ts', 'packages/*/node/*.ts']

/** Packages that run (also) in a browser or a Worker: no Node built-in may be imported there. */
const NODE_FREE = ['protocol', 'scheduler', 'overlay', 'volunteer', 'dashboard'].map(
  (p) => `packages/${p}/src/**`,
)

/** Every package's directory name, to catch a relative import that reaches into another package. */
const PACKAGES = [
  'bundler',
  'cli',
  'dashboard',
  'endpoints',
  'overlay',
  'pando-computing',
  'protocol',
  'runtime',
  'scheduler',
]
  .concat(['server', 'volunteer'])
  .join('|')

/** A package imports another only through its public entry (or a subpath the other's `exports` declares). */
const BOUNDARY_PATTERNS = [
  {
    group: [
      '@pando/*/*',
      '!@pando/dashboard/paths',
      '!@pando/volunteer/paths',
      '!@pando/server/turn-credentials',
    ],
    message: "import another package through its public entry ('@pando/name'), not its files",
  },
  {
    regex: `^(\\.\\./)+(packages/)?(${PACKAGES})/`,
    message: "import another package through its public entry ('@pando/name'), not a relative path into it",
  },
]

/** Type-aware rules that the sources and the tests leave off, each for what those places mean. */
const TYPE_AWARE_EXCEPTIONS = {
  // Off: `TimerHandle` is `unknown` on purpose (an opaque handle), so `TimerHandle | undefined` is what it says.
  '@typescript-eslint/no-redundant-type-constituents': 'off',
  // Off: `String()` of a value of unknown shape is what those places mean (a message's text, a result JSON refused).
  '@typescript-eslint/no-base-to-string': 'off',
  // Off: an `async` function without `await` is how a throw becomes a rejection (and how a fake implements an
  // async interface), which those places mean.
  '@typescript-eslint/require-await': 'off',
  // Off: a promise settles with what the user's function threw or passed back, or what a pull-stream ended
  // with, whatever that is.
  '@typescript-eslint/prefer-promise-reject-errors': 'off',
  // Off: Node's `path.posix.join`, a saved stream or `send` method are called unbound on purpose (they need no
  // `this`, or get it back with `call`).
  '@typescript-eslint/unbound-method': 'off',
}

/**
 * A tunable's name: a time (`_MS`, `_S`), a size (`_BYTES`, `_CHARS`, `_LENGTH`), an interval, a timeout, a
 * delay, a window, a bound or a default (`MAX_`, `MIN_`, `DEFAULT_`).
 */
const TUNABLE_NAME =
  '/^(MAX|MIN|DEFAULT)_[A-Z0-9_]+$|^[A-Z][A-Z0-9_]*_(MS|S|BYTES|CHARS|LENGTH|INTERVAL|TIMEOUT|DELAY|WINDOW|SPAN)$/'

/** A value written out (`2_000`, `64 * 1024`), not made of other constants. */
const WRITTEN_VALUE = ':matches(Literal.init, BinaryExpression.init:not(:has(Identifier)))'

/** Every tunable lives in its package's `src/constants.ts`, with its unit and reason (issue 19). */
const TUNABLES_AT_HOME = [
  'Program > VariableDeclaration',
  'Program > ExportNamedDeclaration > VariableDeclaration',
].map((declaration) => ({
  selector: `${declaration}[kind='const'] > VariableDeclarator[id.name=${TUNABLE_NAME}] > ${WRITTEN_VALUE}`,
  message: "a tunable value lives in its package's src/constants.ts, with its unit and reason",
}))

/**
 * A thrown error says whose fault it is (issue 19): the package's own error classes (its `errors.ts`), or
 * `InvariantError` (`@pando/protocol`) for a bug of this program; never a plain `Error`.
 */
const TYPED_THROWS = [
  {
    selector: "ThrowStatement > NewExpression[callee.name='Error']",
    message: "throw a typed error: the package's errors.ts, or InvariantError (@pando/protocol) for a bug",
  },
]

/** Tests, the harness they share with the bench, and the bench: they reach packages through public entries only. */
const TEST_CODE = ['test/**/*.ts', 'harness/**/*.ts', 'bench/**/*.ts', 'packages/*/test/**/*.ts']

/** The bench and the harness import the harness, never the tests (README: Development). */
const NOT_TESTS_PATTERNS = [
  {
    regex: '^(\\.\\./)+test/',
    message: 'the bench and the harness import harness/ (shared with the tests), not test/',
  },
]

/** Node's built-in modules, with and without the `node:` prefix. */
const NODE_BUILTIN_PATTERNS = [
  {
    group: ['node:*', ...builtinModules.filter((name) => !name.startsWith('_'))],
    message: 'this package runs in browsers and Workers: no Node built-ins',
  },
]

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
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: SOURCES })),
  {
    files: SOURCES,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Every case of a union is named, so that a new message type or state is handled wherever it is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // Longer functions are split into named pieces (issue 19), so that each reads as one thing.
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
      'no-restricted-imports': ['error', { patterns: BOUNDARY_PATTERNS }],
      'no-restricted-syntax': ['error', ...TUNABLES_AT_HOME, ...TYPED_THROWS],
      ...TYPE_AWARE_EXCEPTIONS,
    },
  },
  {
    files: ['packages/*/src/constants.ts'],
    rules: { 'no-restricted-syntax': ['error', ...TYPED_THROWS] },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TEST_CODE })),
  {
    files: TEST_CODE,
    // Type information from the tests' own tsconfig (the packages' tsconfigs cover their sources only).
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-restricted-imports': ['error', { patterns: BOUNDARY_PATTERNS }],
      ...TYPE_AWARE_EXCEPTIONS,
      // Off in tests: vitest types its asymmetric matchers (`expect.any`, `expect.stringMatching`…) as `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['harness/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...BOUNDARY_PATTERNS, ...NOT_TESTS_PATTERNS] }],
    },
  },
  {
    files: NODE_FREE,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...BOUNDARY_PATTERNS, ...NODE_BUILTIN_PATTERNS] }],
    },
  },
  {
    // Only the CLI writes to the console (stdout carries results, stderr messages for people): every other
    // package reports through callbacks and events, its pages through their own DOM.
    files: ['packages/*/src/**'],
    ignores: ['packages/cli/src/**'],
    rules: { 'no-console': 'error' },
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
