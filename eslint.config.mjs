// typescript-eslint's recommended rules everywhere, and the layers of docs/architecture.md as
// import rules, so that a change that crosses a boundary fails the lint instead of a review:
// - libs/domain is plain TypeScript: the lifecycle, money and rubric rules must be testable in
//   milliseconds and impossible to bypass, so it imports nothing but itself;
// - apps/ (controllers, pages, processors, CLIs) reach the database only through the libraries'
//   use cases and stores: no typeorm or pg there;
// - the HTTP plumbing (apps/api/src/http) serves the API and the pages alike and imports neither;
// - a capability library uses another only through its public index (`@sg/<name>`), never its files.
import tseslint from 'typescript-eslint';

const LIBRARIES = 'applications|config|domain|funds|identity|jobs|mail|notifications|organisations|persistence';

const ANOTHER_LIBRARYS_FILES = {
  regex: `^(@sg/(${LIBRARIES})/.+|(\\.\\./)+(libs/)?(${LIBRARIES})/src(/.*)?)$`,
  message: 'Use another library through its public index (`@sg/<name>`), not its files.',
};

const FORBIDDEN_IN_DOMAIN = {
  patterns: [
    {
      regex: '^(?!\\.)',
      message: 'libs/domain is pure TypeScript: import only its own files (no framework, no I/O, no node: modules).',
    },
  ],
};

const NO_DATABASE_IN_APPS = {
  regex: '^(typeorm|pg|@nestjs/typeorm|connect-pg-simple)(/.*)?$',
  message: 'apps/ reach the database through a library (a use case or a store), never typeorm or pg directly.',
};

const NO_PAGES_IN_HTTP = {
  regex: '(^|/)portal(/|$)',
  message: 'apps/api/src/http serves the API and the pages alike: it must not import the pages (apps/api/src/portal).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'var/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a handler's signature, a destructured rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read JSON bodies they then assert on field by field: typing every response is noise there.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ANOTHER_LIBRARYS_FILES] }] },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', FORBIDDEN_IN_DOMAIN] },
  },
  {
    files: ['apps/**/*.ts'],
    ignores: ['apps/**/*.spec.ts', 'apps/api/src/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_DATABASE_IN_APPS, ANOTHER_LIBRARYS_FILES] }] },
  },
  {
    files: ['apps/api/src/http/**/*.ts'],
    ignores: ['apps/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_DATABASE_IN_APPS, ANOTHER_LIBRARYS_FILES, NO_PAGES_IN_HTTP] }],
    },
  },
);
