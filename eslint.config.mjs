// ESLint (flat config): the recommended JavaScript rules and typescript-eslint's type-aware ones, which see what
// tsc alone lets through: a promise nobody awaits or catches, a value of type any flowing into typed code, a
// deprecated API. Formatting is Prettier's (npm run format), never ESLint's.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'data/', '.wrangler/', 'test-artifacts/', '.ci/node24/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The rules the project asks for, spelled out (recommendedTypeChecked has them already).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-deprecated': 'error',
      // An explicit `any` in a type (Kysely<any> for "any schema", as Kysely's migrations are typed) is harmless;
      // what makes any dangerous is a value of it flowing into typed code, which the no-unsafe-* rules catch.
      '@typescript-eslint/no-explicit-any': 'off',
      // An async function without await is how an interface's Promise-returning method is implemented in memory.
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names are deliberately unused (a parameter kept for its position, a destructured rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read the API's JSON answers as `any` (Response.json()) and check their shape with expect(): typing
    // each answer would restate the contract in every test. Promises must still be awaited or handled there.
    files: ['test/**/*.ts', 'scripts/bench/checks.ts', 'scripts/bench/sizes.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The plain scripts node runs before anything is built: tsconfig.scripts.json type-checks them (tsc), so
    // here they get the JavaScript rules only (no-undef would not know Node's globals; tsc does).
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { 'no-undef': 'off' },
  },
)
