// Lint: typescript-eslint's recommended rules, plus the folder direction of DESIGN.md §3:
// content ← flows ← bot → services → store, and admin → services. `flows` never imports `bot`, `services`, `store` or
// Prisma; `services` imports only `store` and `content`; `admin` reaches data only through services; `content` imports
// nothing of ours. test/lint-boundaries.test.ts proves each rule bites. `.tsx` (typed JSX templates, preact) lives only in
// src/admin. (A later block for the same files replaces
// `no-restricted-imports` as a whole, so each folder has exactly one block listing all its groups.)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const group = (group, message) => ({ group, message });
const PRISMA = ['**/store/generated/**', '@prisma/client', '@prisma/client/*'];
const noPrisma = group(PRISMA, 'Only src/store calls Prisma: add a method to a *.repo.ts.');

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
      group(['**/flows/**', '**/flows', '**/bot/**', '**/services/**', '**/store/**', '**/admin/**', '**/main*', '**/config*', '**/logger*', '**/errors*'], 'src/content imports nothing of ours (DESIGN.md §3).'),
    ]),
  },
  {
    files: ['src/flows/**/*.ts'],
    rules: restrict([
      group(['**/bot/**', '**/bot', '**/services/**', '**/services', '**/store/**', '**/store', '**/admin/**', '**/main*', '**/config*'], 'src/flows may import only src/content; declare a port in src/flows/ports for anything else (DESIGN.md §3).'),
      group(['@prisma/*', 'pg', '@electric-sql/*', 'express'], 'Flows make decisions only: no database or HTTP here.'),
    ]),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict([group(['**/bot/**', '**/flows/**', '**/services/**', '**/admin/**', '**/main*'], 'src/store is the bottom layer: it imports only Prisma and drivers.')]),
  },
  {
    files: ['src/services/**/*.ts'],
    rules: restrict([
      group(
        ['**/bot/**', '**/bot', '**/flows/**', '**/flows', '**/admin/**', '**/admin', '**/main*', '**/config*'],
        'src/services may import only src/store and src/content: chat (src/bot) and console (src/admin) call services, never the reverse; take settings as parameters (DESIGN.md §3).',
      ),
      group(['express', 'express/*'], 'Services know no HTTP: routes in src/bot or src/admin call them and map their outcomes.'),
      noPrisma,
    ]),
  },
  {
    files: ['src/bot/**/*.ts'],
    rules: restrict([
      group(['**/admin/**', '**/main*'], 'src/bot does not import the console or the composition root.'),
      noPrisma,
    ]),
  },
  {
    files: ['src/admin/**/*.ts', 'src/admin/**/*.tsx'],
    rules: restrict([
      group(
        ['**/store/**', '**/store', '**/bot/**', '**/bot', '**/flows/**', '**/flows', '**/main*', '**/config*'],
        'src/admin may import only src/services and src/content (and src/errors.ts, src/logger.ts): the console and the chat share logic through services; settings come from src/main.ts as parameters (DESIGN.md §3).',
      ),
      noPrisma,
    ]),
  },
  {
    files: ['src/main.ts'],
    rules: restrict([noPrisma]),
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    // The console's own browser script (served at /admin/assets/console.js).
    files: ['src/admin/assets/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Only src/config.ts reads process.env.' },
        // The console's templates escape by default; raw HTML would undo that (issue 10).
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No dangerouslySetInnerHTML: render text and elements, which preact escapes.' },
        { selector: "Property[key.name='dangerouslySetInnerHTML']", message: 'No dangerouslySetInnerHTML: render text and elements, which preact escapes.' },
      ],
    },
  },
  {
    // JSX is the console's template language and nothing else's.
    files: ['**/*.tsx'],
    ignores: ['src/admin/**'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'Program', message: '.tsx files belong in src/admin only (the console templates).' }] },
  },
  {
    files: ['src/config.ts', 'scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off', 'no-console': 'off' },
  },
);
