// Lint, including the layer rules of docs/ARCHITECTURE.md: arrows point host -> core -> shared and webview -> shared.
// `vscode` may be imported only in src/host and in the integration tests.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { hostTextSelectors, webviewTextSelectors } from './scripts/l10nLint.mjs';

const namedExports = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };
const noVscode = { name: 'vscode', message: 'Only src/host may import vscode: put logic in src/core behind a port.' };
const layer = (files, patterns, paths = [noVscode]) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', namedExports],
    },
  },
  // User-visible English written straight into the UI instead of through l10n.t() (issue #15, scripts/l10nLint.mjs).
  // A later entry replaces the rule's options for its files, so each repeats the ones before it.
  { files: ['src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', namedExports, ...hostTextSelectors] } },
  {
    files: ['src/webview/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', namedExports, ...hostTextSelectors, ...webviewTextSelectors] },
  },
  { files: ['src/webview/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  layer(
    ['src/shared/**/*.ts'],
    [
      {
        group: ['**/core/**', '**/host/**', '**/webview/**', '**/core', '**/host', '**/webview'],
        message: 'src/shared imports nothing from other layers.',
      },
      { group: ['node:*'], message: 'src/shared is plain data: no Node built-ins.' },
    ],
  ),
  layer(
    ['src/core/**/*.ts'],
    [
      {
        group: ['**/host/**', '**/webview/**', '**/host', '**/webview'],
        message: 'src/core may import only src/shared (and Node built-ins).',
      },
    ],
  ),
  layer(
    ['src/webview/**/*.ts'],
    [
      {
        group: ['**/core/**', '**/host/**', '**/core', '**/host'],
        message: 'src/webview talks to the host only through src/shared/protocol.ts.',
      },
      { group: ['node:*'], message: 'src/webview runs in a browser: no Node built-ins.' },
    ],
  ),
  layer(
    ['test/unit/**/*.ts', 'bench/**/*.ts'],
    [
      {
        group: ['**/host/**'],
        message: 'Unit tests run in plain Node: test src/core, src/shared and the webview reducer.',
      },
    ],
  ),
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
