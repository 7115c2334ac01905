// The domain is plain TypeScript: the lifecycle, money and rubric rules must be testable in
// milliseconds and impossible to bypass, so libs/domain imports nothing but itself.
import tseslint from 'typescript-eslint';

const FORBIDDEN_IN_DOMAIN = {
  patterns: [
    {
      regex: '^(?!\\.)',
      message: 'libs/domain is pure TypeScript: import only its own files (no framework, no I/O, no node: modules).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'var/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', FORBIDDEN_IN_DOMAIN] },
  },
);
