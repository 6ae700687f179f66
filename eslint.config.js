// Lint: typescript-eslint's recommended rules, plus the folder direction of DESIGN.md §3:
// content ← flows ← bot → store. `flows` never imports `bot`, `store` or Prisma; `content` imports nothing of ours.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const group = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/', 'src/store/generated/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/content/**/*.ts'],
    rules: restrict([
      group(['**/flows/**', '**/flows', '**/bot/**', '**/store/**', '**/admin/**', '**/main*', '**/config*', '**/logger*', '**/errors*'], 'src/content imports nothing of ours (DESIGN.md §3).'),
    ]),
  },
  {
    files: ['src/flows/**/*.ts'],
    rules: restrict([
      group(['**/bot/**', '**/bot', '**/store/**', '**/store', '**/admin/**', '**/main*', '**/config*'], 'src/flows may import only src/content; declare an interface for anything else (DESIGN.md §3).'),
      group(['@prisma/*', 'pg', '@electric-sql/*', 'express'], 'Flows make decisions only: no database or HTTP here.'),
    ]),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict([group(['**/bot/**', '**/flows/**', '**/admin/**', '**/main*'], 'src/store is the bottom layer: it imports only Prisma and drivers.')]),
  },
  {
    files: ['src/bot/**/*.ts'],
    rules: restrict([
      group(['**/admin/**', '**/main*'], 'src/bot does not import the console or the composition root.'),
      group(['**/store/generated/**', '@prisma/client', '@prisma/client/*'], 'Only src/store calls Prisma: add a method to a *.repo.ts.'),
    ]),
  },
  {
    files: ['src/admin/**/*.ts', 'src/main.ts'],
    rules: restrict([group(['**/store/generated/**', '@prisma/client', '@prisma/client/*'], 'Only src/store calls Prisma: add a method to a *.repo.ts.')]),
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Only src/config.ts reads process.env.' }] },
  },
  {
    files: ['src/config.ts', 'scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off', 'no-console': 'off' },
  },
);
