import type { StateData } from './types.js';

/**
 * What StateStore needs from where the state is kept. Two implementations: DurableState (state.json
 * plus a journal in DATA_DIR, one process) and PgState (PostgreSQL, any number of instances).
 *
 * Both keep the state in memory for reads and promise the same invariant (README.md): `mutate`
 * resolves only once its change is durable, and a change that failed leaves no trace.
 */
export interface StateBackend {
  readonly data: StateData;
  /** Changes stay in memory and are never written (previews, inspection). */
  readonly readOnly: boolean;
  /** Where the state lives: a file, or the database (without its password). */
  readonly file: string;
  /** Physical writes so far. */
  readonly writeCount: number;
  /**
   * Apply `fn` to the state and resolve once the change is durable. `sections` lists the top-level
   * parts it touches (all when omitted). `fn` sees the latest committed state: with several instances
   * it runs when this instance holds the write lock, so a rule checked inside `fn` holds for everyone.
   */
  mutate<R>(fn: (data: StateData) => R, sections?: ReadonlyArray<keyof StateData>): Promise<R>;
  /** Bring memory up to every change committed anywhere so far (read-your-writes across instances). */
  refresh(): Promise<void>;
  /** Called after changes committed by another instance were read in. */
  onChange(listener: () => void): () => void;
  flush(): Promise<void>;
  backup(reason: string): Promise<string>;
  close(): Promise<void>;
}
