import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.test-data/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/platform/config.ts.' },
      ],
    },
  },
  {
    files: ['src/cli/**', 'bin/**', 'test/**', '**/*.test.ts', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: [
      'src/platform/config.ts',
      'test/**',
      'bin/**',
      'bench/**',
      '.ci/**',
      'vitest.config.ts',
      '**/*.test.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
