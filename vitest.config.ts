import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Loopback only: never let an AWS SDK credential chain fall through to the instance metadata endpoint.
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
