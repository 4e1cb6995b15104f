import { describe, expect, it } from 'vitest';
import { askHandler } from '../../handlers/ask.js';
import type { BotContext } from '../../src/core/context.js';
import { parseCommand } from '../../src/core/context.js';
import { createPlanRouter, type PlanRouter } from '../../src/core/plans.js';
import { createQaEngine } from '../../handlers/qa-engine.js';
import { plan1 } from '../plan/helpers.js';

const qa = createPlanRouter([plan1()], createQaEngine);

function ctx(text: string): BotContext<{ qa: PlanRouter }> {
  return {
    message: { channel: 'web', chatId: 'c', chatType: 'private', userId: 'u', text },
    text,
    command: parseCommand(text),
    actor: { coordinator: false, admin: false },
    services: { qa },
    now: new Date(),
  };
}

describe('the ask handler at the end of the chain', () => {
  it('answers a plain question with the engine reply', async () => {
    const r = await askHandler(ctx('谁负责调解员培训?'));
    expect(r?.intent).toBe('responsibility');
    expect(r?.tasks[0].id).toBe(48);
    expect(r).not.toHaveProperty('chunks');
  });

  it('answers /ask 问题 and /help, and leaves other commands to their handlers', async () => {
    expect((await askHandler(ctx('/ask 第46项')))?.intent).toBe('task_detail');
    expect((await askHandler(ctx('/help')))?.intent).toBe('help');
    expect(await askHandler(ctx('/done 48'))).toBeUndefined();
  });
});
