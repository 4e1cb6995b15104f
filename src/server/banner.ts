import path from 'node:path';
import type { Running } from './start.js';

/** The few lines a person needs after `npm start`: where to chat, where the dashboard is, its password. */
export function startupBlock(running: Running, cwd = process.cwd()): string {
  // A server listening on every address is reached on this machine as localhost.
  const url = running.url.replace(/^http:\/\/(?:0\.0\.0\.0|\[::\])/, 'http://localhost');
  const rule = '─'.repeat(44);
  const lines = [
    '',
    `${rule}`,
    `  督办助手已启动（方案 ${running.loaded.plan.tasks.length} 项任务）`,
    `  聊天页面：${url}/`,
    `  管理台：  ${url}/admin`,
    ...(running.oneTimePassword
      ? [`  管理台一次性密码：${running.oneTimePassword}`, '  （仅限本机登录，重启后失效；设置 DASHBOARD_PASSWORD 可固定密码）']
      : []),
    `  数据目录：${dataDirShown(running.config.dataDir, cwd)}`,
    '  按 Ctrl+C 停止。',
    rule,
    '',
  ];
  return lines.join('\n');
}

function dataDirShown(dir: string, cwd: string): string {
  const rel = path.relative(cwd, dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : dir;
}
