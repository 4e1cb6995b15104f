-- State schema 4: a task is plan + number. Keys written with a bare task number belong to the default plan
-- (progress 48|法院 → default:48|法院, deadlines 48 → default:48, planner alerts 48|法院|d7|… → default:48|…),
-- and audit entries about a task name its plan. The same rewrite as the embedded store's migration 3 → 4
-- (src/state/schema.ts). Outbox rows keep their bare taskIds: the sender reads them as the default plan's.
UPDATE state_entries SET key = 'default:' || key
 WHERE section IN ('progress', 'planner.alerted') AND key ~ '^[0-9]+\|';
UPDATE state_entries SET key = 'default:' || key
 WHERE section = 'deadlines' AND key ~ '^[0-9]+$';
UPDATE state_log SET entry = entry || '{"plan": "default"}'::jsonb
 WHERE section = 'history' AND entry ? 'taskId' AND NOT entry ? 'plan';
-- Instances replay state_changes newer than what they read; records from before the rewrite name old keys:
-- drop them, so an instance behind reloads everything (every instance is upgraded together).
DELETE FROM state_changes;
