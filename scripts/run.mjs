#!/usr/bin/env node
/**
 * Runs a command-line entry from the compiled dist/ (fast: no TypeScript at run time), compiling first
 * when a source is newer than the last build. Progress goes to stderr, so `npm run --silent ask -- --json`
 * still prints nothing but JSON.
 *   node scripts/run.mjs src/cli/ask.ts -- "谁负责调解员培训?"
 *   node scripts/run.mjs --build           (prestart: compile if needed, saying so)
 *   node scripts/run.mjs --installing      (preinstall: say what is happening; --installed after it)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const SOURCES = ['src', 'handlers'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

const say = (line) => process.stderr.write(`${line}\n`);

/** Newest modification time of the sources that compile into dist/. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCES) walk(path.join(ROOT, d));
  for (const f of CONFIGS) newest = Math.max(newest, statSync(path.join(ROOT, f)).mtimeMs);
  return newest;
}

function upToDate() {
  return existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource();
}

/** Compile with tsc into dist/; exits the process with tsc's messages when compilation fails. */
function build({ verbose }) {
  if (upToDate()) {
    if (verbose) say('编译结果已是最新，跳过编译。');
    return;
  }
  const started = Date.now();
  say(existsSync(STAMP) ? '源文件有改动，正在重新编译 TypeScript…' : '正在编译 TypeScript（首次运行，约需几秒）…');
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    say('找不到 TypeScript 编译器：请先运行 npm install。');
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    say('编译失败，见上方错误。');
    process.exit(r.status ?? 1);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  say(`编译完成（${((Date.now() - started) / 1000).toFixed(1)} 秒）。`);
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--installing') {
  say('正在安装依赖（首次约需一两分钟，期间没有输出属正常）…');
} else if (first === '--installed') {
  say('依赖安装完成。');
} else if (first === '--build') {
  build({ verbose: true });
} else if (first && /^(?:src|handlers)\/.+\.ts$/.test(first)) {
  build({ verbose: false });
  // The entry sees the same argv as when run directly: node dist/<entry>.js args…
  const entry = path.join(DIST, first.replace(/\.ts$/, '.js'));
  process.argv = [process.argv[0], entry, ...rest];
  await import(pathToFileURL(entry).href);
} else {
  say('用法：node scripts/run.mjs src/cli/ask.ts [参数…] | --build | --installing | --installed');
  process.exit(2);
}
