/** Dashboard routes for liaisons and the issued reports (the groups page shows both). */
import path from 'node:path';
import type { Request, RequestHandler, Response, Router } from 'express';
import { StoreError, type StateStore } from '../state/store.js';
import type { AuditActor, Liaison } from '../state/types.js';

const KINDS: Record<string, Pick<Liaison, 'platform' | 'kind'>> = {
  userid: { platform: 'wecom', kind: 'userid' },
  mobile: { platform: 'wecom', kind: 'mobile' },
  telegram: { platform: 'telegram', kind: 'telegram' },
};
const ID_RE: Record<string, RegExp> = { userid: /^[A-Za-z0-9_.@-]{1,64}$/, mobile: /^1\d{10}$/, telegram: /^\d{1,15}$/ };

export function registerLiaisonRoutes(
  router: Router,
  d: {
    /** Whether a unit of an active plan has this name. */
    knows: (dept: string) => boolean;
    store: StateStore;
    reportsDir?: string;
    form: RequestHandler;
    guard: RequestHandler;
    wrap: (fn: (req: Request, res: Response) => Promise<void> | void) => RequestHandler;
    flash: (req: Request, kind: 'ok' | 'error', text: string) => Promise<void>;
    actor: (req: Request) => AuditActor;
  },
): void {
  router.post('/liaisons', d.form, d.guard, d.wrap(async (req, res) => {
    const b = req.body as Record<string, string>;
    const dept = String(b.department ?? '');
    if (!d.knows(dept)) throw new StoreError(`未登记的部门「${dept}」`);
    if (b.op === 'clear') {
      await d.store.setLiaisons(dept, [], d.actor(req));
      await d.flash(req, 'ok', `已清除${dept}的联络员。`);
    } else {
      const kind = String(b.kind ?? '');
      const id = String(b.id ?? '').trim();
      if (!KINDS[kind]) throw new StoreError('请选择联络方式');
      if (!ID_RE[kind].test(id)) throw new StoreError(kind === 'mobile' ? `「${id}」不是 11 位手机号` : kind === 'telegram' ? 'Telegram 用户 ID 应为数字' : `「${id}」不是有效的企业微信 userid`);
      const name = String(b.name ?? '').trim() || undefined;
      const rest = d.store.liaisons(dept).filter((l) => !(l.platform === KINDS[kind].platform && l.id === id));
      await d.store.setLiaisons(dept, [...rest, { ...KINDS[kind], id, name }], d.actor(req));
      await d.flash(req, 'ok', `已为${dept}添加联络员${name ?? id}。`);
    }
    res.redirect(303, `${req.baseUrl}/groups`);
  }));

  // Only files the state lists as issued: the name never reaches the file system unchecked.
  router.get('/reports/:file', d.wrap((req, res) => {
    const rec = d.store.reports().find((r) => r.file === req.params.file);
    if (!rec || !d.reportsDir) {
      res.status(404).type('text').send('没有这一期通报');
      return;
    }
    res.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    res.attachment(rec.file);
    res.sendFile(path.join(d.reportsDir, path.basename(rec.file)), (err) => {
      if (err && !res.headersSent) res.status(404).type('text').send('通报文件不存在（可能已被删除）');
    });
  }));
}
