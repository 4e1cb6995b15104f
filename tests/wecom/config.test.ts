import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/env.js';
import { DEFAULT_API_BASE, DEFAULT_WS_URL, parseWebhookBindings, readWecomConfig, webhookChatId } from '../../src/channels/wecom/config.js';

const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const APP = { WECOM_CORP_ID: 'ww1436e0e65a779aee', WECOM_APP_AGENT_ID: '1000002', WECOM_APP_SECRET: 's3cr3t', WECOM_APP_TOKEN: 'tok123', WECOM_APP_AES_KEY: AES };

function configError(env: Record<string, string>): ConfigError {
  try {
    readWecomConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('readWecomConfig', () => {
  it('nothing set → undefined (WeCom off)', () => {
    expect(readWecomConfig({})).toBeUndefined();
  });

  it('each way in is enabled by its own variables, with defaults', () => {
    const c = readWecomConfig({ ...APP, WECOM_BOT_ID: 'aib123', WECOM_BOT_SECRET: 'x', WECOM_BOT_TOKEN: 'bt', WECOM_BOT_AES_KEY: AES, WECOM_WEBHOOK_BINDINGS: '总工会:693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa' })!;
    expect(c.enabled).toEqual({ botWs: true, botWebhook: true, app: true, webhook: true });
    expect(c.common).toMatchObject({ apiBase: DEFAULT_API_BASE, webhookBase: DEFAULT_API_BASE, timestampWindowMs: 300_000, replyDeadlineMs: 4000 });
    expect(c.bot!.ws!.wsUrl).toBe(DEFAULT_WS_URL);
    expect(c.app!.agentId).toBe(1000002);
    expect(c.webhook).toMatchObject({ perWindow: 20, windowMs: 60_000 });
    expect(readWecomConfig({ WECOM_BOT_ID: 'aib123', WECOM_BOT_SECRET: 'x' })!.enabled).toEqual({ botWs: true, botWebhook: false, app: false, webhook: false });
  });

  it('private deployments: API base, webhook base, WS URL and proxy are configurable', () => {
    const c = readWecomConfig({ ...APP, WECOM_API_BASE: 'http://10.0.0.5:8080/', WECOM_WEBHOOK_BASE: 'https://hook.gov.example', WECOM_HTTP_PROXY: 'http://proxy.local:3128', WECOM_BOT_ID: 'aib1234', WECOM_BOT_SECRET: 'x', WECOM_BOT_WS_URL: 'wss://ws.gov.example' })!;
    expect(c.common).toMatchObject({ apiBase: 'http://10.0.0.5:8080', webhookBase: 'https://hook.gov.example', httpProxy: 'http://proxy.local:3128' });
    expect(c.bot!.ws!.wsUrl).toBe('wss://ws.gov.example');
  });

  it('WECOM_ADMIN_USERIDS: administrators by WeCom UserID', () => {
    expect([...readWecomConfig({ ...APP, WECOM_ADMIN_USERIDS: 'zhangsan, LiSi' })!.common.adminUserIds]).toEqual(['zhangsan', 'LiSi']);
    expect(configError({ ...APP, WECOM_ADMIN_USERIDS: 'zhang san!' }).variable).toBe('WECOM_ADMIN_USERIDS');
  });

  it('half-configured ways name the missing variable', () => {
    expect(configError({ WECOM_BOT_ID: 'aib1' }).variable).toBe('WECOM_BOT_SECRET');
    expect(configError({ WECOM_BOT_TOKEN: 'abc' }).variable).toBe('WECOM_BOT_AES_KEY');
    expect(configError({ ...APP, WECOM_APP_SECRET: '' }).variable).toBe('WECOM_APP_SECRET');
    expect(configError({ WECOM_BOT_WS_URL: 'wss://x' }).variable).toBe('WECOM_BOT_ID');
    expect(configError({ WECOM_ADMIN_USERIDS: 'zhangsan' }).variable).toBe('WECOM_BOT_ID');
    expect(readWecomConfig({ WECOM_API_BASE: DEFAULT_API_BASE, WECOM_WEBHOOK_PER_MINUTE: '20' })).toBeUndefined();
  });

  it('bad values name the variable and never echo secrets', () => {
    const e = configError({ ...APP, WECOM_APP_AES_KEY: `${AES}x` });
    expect(e.variable).toBe('WECOM_APP_AES_KEY');
    expect(e.message).toContain('43');
    expect(e.message).not.toContain(AES);
    expect(configError({ ...APP, WECOM_APP_AGENT_ID: 'abc' }).variable).toBe('WECOM_APP_AGENT_ID');
    expect(configError({ ...APP, WECOM_CORP_ID: 'bad id!' }).variable).toBe('WECOM_CORP_ID');
    expect(configError({ ...APP, WECOM_APP_TOKEN: 'has space' }).variable).toBe('WECOM_APP_TOKEN');
    expect(configError({ ...APP, WECOM_API_BASE: 'ftp://x' }).variable).toBe('WECOM_API_BASE');
    expect(configError({ WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 'x', WECOM_BOT_WS_URL: 'https://x' }).variable).toBe('WECOM_BOT_WS_URL');
    expect(configError({ ...APP, WECOM_REPLY_DEADLINE_MS: '6000' }).variable).toBe('WECOM_REPLY_DEADLINE_MS');
    expect(configError({ ...APP, WECOM_HTTP_TIMEOUT_SECONDS: '0' }).variable).toBe('WECOM_HTTP_TIMEOUT_SECONDS');
    expect(readWecomConfig({ ...APP, WECOM_HTTP_TIMEOUT_SECONDS: '60' })!.common.httpTimeoutMs).toBe(60_000);
    expect(readWecomConfig(APP)!.common.httpTimeoutMs).toBe(10_000);
    const k = configError({ WECOM_WEBHOOK_BINDINGS: '总工会:short' });
    expect(k.variable).toBe('WECOM_WEBHOOK_BINDINGS');
    expect(configError({ WECOM_WEBHOOK_BINDINGS: '总工会' }).variable).toBe('WECOM_WEBHOOK_BINDINGS');
    expect(configError({ WECOM_WEBHOOK_BINDINGS: '总工会:693a91f6-aaaa,总工会:693a91f6-aaaa' }).variable).toBe('WECOM_WEBHOOK_BINDINGS');
    // One group shared by two departments is fine (the limiter counts per key).
    expect(readWecomConfig({ WECOM_WEBHOOK_BINDINGS: '总工会:693a91f6-aaaa,法院:693a91f6-aaaa' })!.webhook!.bindings).toHaveLength(2);
  });
});

describe('WECOM_WEBHOOK_BINDINGS', () => {
  it('accepts keys or full webhook URLs, Chinese punctuation, and the coordinator', () => {
    const b = parseWebhookBindings('总工会:693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa，法院：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=11111111-2222-3333-4444-555555555555; 督办=aaaaaaaa-bbbb');
    expect(b.map((x) => [x.department, x.key, x.coordinator])).toEqual([
      ['总工会', '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', false],
      ['法院', '11111111-2222-3333-4444-555555555555', false],
      ['督办', 'aaaaaaaa-bbbb', true],
    ]);
    expect(b[0].chatId).toBe(webhookChatId('总工会', b[0].key));
    expect(b[0].chatId).toMatch(/^总工会@[0-9a-f]{10}$/);
    expect(webhookChatId('总工会', 'k1xxxxxxxx')).not.toBe(webhookChatId('总工会', 'k2xxxxxxxx'));
  });
});
