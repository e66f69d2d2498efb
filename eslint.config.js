// Layer rules (DESIGN.md §2): core/ is pure TypeScript (no electron, vue or DOM); the renderer reaches
// core only through types in core/contracts.
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'renderer/dist/**'] },
  ...tseslint.configs.recommended,
  // Vue single-file components: the correctness rules, with TypeScript inside <script setup lang="ts">.
  ...pluginVue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'core/ runs under plain Node: no Electron (DESIGN.md §2).' },
          { name: 'vue', message: 'core/ has no UI: no Vue (DESIGN.md §2).' },
          { name: '@tensorflow/tfjs', message: "import tf from core/runtime/tf.ts: one tfjs-core instance, one backend choice." },
        ],
        patterns: [
          { group: ['**/main/**', '**/renderer/**'], message: 'core/ may not import from main/ or renderer/.' },
        ],
      }],
    },
  },
  {
    files: ['core/runtime/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/core/**', '!**/core/contracts', '!**/core/contracts/**'],
            message: 'The renderer imports from core/ only types from core/contracts (DESIGN.md §2).' },
          { group: ['**/core/contracts/**'], allowTypeImports: true, message: 'type imports only' },
          { group: ['@tensorflow/*', 'electron'], message: 'No TensorFlow.js or Electron in the renderer.' },
        ],
      }],
    },
  },
);
