import { afterEach } from 'vitest';

/**
 * What a test started (servers, fakes, adapters), undone after each test, last first. A failing undo does not hide
 * the test's own result. Push an undo as soon as the thing exists: `cleanups.push(() => fake.close())`.
 */
export function cleanupsAfterEach(): Array<() => Promise<unknown>> {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });
  return cleanups;
}
