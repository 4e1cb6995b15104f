import type { StateData } from './types.js';

/** What a change decided on row-locked entries writes (see `StateBackend.lockEntries`). */
export interface LockedChange<R> {
  /** Entries of the section to replace. */
  set: Record<string, unknown>;
  /** Entries to append to the append-only sections. */
  append?: Partial<Record<'reminderLog' | 'history', unknown[]>>;
  result: R;
}

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
  /**
   * Only where several instances share the state (PostgreSQL): this instance's number, held in the database
   * for as long as the instance runs (so others can tell a claim of a dead instance from a live one).
   */
  readonly instanceId?: number;
  /**
   * Only where several instances share the state (PostgreSQL): take entries of one map section for this
   * instance alone. `decide` sees those of `keys` as committed that no other instance is taking at this
   * moment (`SELECT … FOR UPDATE SKIP LOCKED`: instances doing this at once neither wait for each other
   * nor see the same entry) and says what to write; `alive(instanceId)` tells whether the instance an
   * entry names (`ownerOf`) still runs. Resolves once that is durable.
   */
  lockEntries?<R>(
    section: keyof StateData,
    keys: string[],
    decide: (entries: Map<string, unknown>, alive: (instanceId: number) => boolean) => LockedChange<R>,
    ownerOf?: (entry: unknown) => number | undefined,
  ): Promise<R>;
  /** Bring memory up to every change committed anywhere so far (read-your-writes across instances). */
  refresh(): Promise<void>;
  /** Called after changes committed by another instance were read in. */
  onChange(listener: () => void): () => void;
  flush(): Promise<void>;
  backup(reason: string): Promise<string>;
  close(): Promise<void>;
}
