import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The shipped plan's tests read its fixture copy: an office editing data/plan.txt keeps the suite green.
    env: { DOTENV_CONFIG_QUIET: 'true', LOG_LEVEL: 'silent', DEFAULT_PLAN_DIR: path.resolve('tests/fixtures/plans/plan1') },
  },
});
