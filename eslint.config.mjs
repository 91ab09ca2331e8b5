import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundaries } from './eslint/boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring a field away).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Nest modules and CQRS handlers are classes by design.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'libs/**/*.ts'],
    plugins: { crm: { rules: { boundaries } } },
    rules: { 'crm/boundaries': 'error' },
  },
  {
    // Controllers dispatch; they never run SQL themselves.
    files: ['src/contexts/*/http/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'http/ must not run SQL: use a query handler' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
