/** A change the store refuses (unknown task, bad date …); its message is meant for the user. */
export class StoreError extends Error {}

/** A write failed: the change was undone and is not in the state. The message says so, for the user. */
export class PersistError extends StoreError {
  /** Its message goes to the user as it is (see core/bot.ts). */
  readonly userFacing = true as const;
  constructor(cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOSPC' ? '磁盘已满' : code === 'EIO' ? '磁盘读写出错' : code ? `文件系统错误 ${code}` : String((cause as Error)?.message ?? cause);
    super(`保存失败（${why}），这次修改没有生效，请稍后再试`, { cause });
  }
}
