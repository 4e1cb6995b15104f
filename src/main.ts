import { config as loadDotenv } from 'dotenv';
import { ConfigError } from './core/env.js';
import { log, logFormat } from './core/log.js';

// .env is optional; real environment variables win over it.
loadDotenv({ quiet: true });
process.env.DOTENV_CONFIG_QUIET ??= 'true';

const { startServer } = await import('./server/start.js');
const { startupBlock } = await import('./server/banner.js');
const { StoreError } = await import('./state/store.js');

try {
  const running = await startServer();
  if (logFormat() === 'pretty') process.stdout.write(startupBlock(running));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, '正在停止（shutting down）');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await running.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof StoreError) {
    console.error(err.message);
  } else {
    log.fatal({ err }, 'start-up failed');
    console.error(`启动失败: ${(err as Error).message}`);
  }
  process.exit(1);
}
