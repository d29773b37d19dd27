import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', 'proto/gen/**', 'agent/bundle/**', 'build/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layers: commands -> services -> (ui | kube | targets). Below the commands, nothing renders;
    // services hand their results to a reporter the command passes in.
    files: ['cli/src/services/**/*.{ts,tsx}', 'cli/src/kube/**/*.{ts,tsx}', 'cli/src/targets/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/ui/*', '**/ui'], message: 'services, kube and targets never import ui: pass a reporter interface down' },
            { group: ['**/commands/*'], message: 'nothing below the commands imports a command' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Layout is prettier's (checked by `npm run lint`); eslint keeps to what is not layout.
  prettier,
);
