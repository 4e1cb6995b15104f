-- The bot's state in PostgreSQL (see src/state/README.md). Every section of the embedded state.json has
-- its rows here; state_changes is the log of committed changes that keeps each instance's memory fresh.

-- Entries of the map sections (progress, deadlines, outbox, seen, …; section 'planner.alerted'),
-- and the single values (section 'value': bindings, outboxSeq, reportSeq, planner.lastPlannedAt).
CREATE TABLE state_entries (
  section text NOT NULL,
  key     text NOT NULL,
  value   jsonb NOT NULL,
  PRIMARY KEY (section, key)
);

-- The append-only sections (history, reminderLog), in order of id.
CREATE TABLE state_log (
  id      bigserial PRIMARY KEY,
  section text NOT NULL,
  entry   jsonb NOT NULL
);
CREATE INDEX state_log_section ON state_log (section, id);

-- Every committed change, numbered without gaps (writers hold one advisory lock while they write).
-- Instances replay the ones they have not seen; old ones are pruned (an instance that fell further
-- behind reloads everything).
CREATE TABLE state_changes (
  seq    bigint PRIMARY KEY,
  record jsonb NOT NULL,
  at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE state_seq (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq bigint NOT NULL
);
INSERT INTO state_seq (seq) VALUES (0);
