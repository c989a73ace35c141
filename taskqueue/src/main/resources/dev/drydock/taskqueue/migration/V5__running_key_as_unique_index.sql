-- At most one running task per serialization key, kept by a unique partial index on tq_task itself
-- instead of a row in tq_running_key per running task. The table cost every keyed task a
-- speculative insert (heap row, index entry and its confirmation) at its claim and a delete at its
-- end, about 9 % of the WAL records of a lease in the lease benchmark, and a sweep for rows that a
-- bug might leave behind. The index entry comes with the claim's own UPDATE and goes with the row's
-- state, so no path can leave a key taken: a requeued or finished task frees its key by leaving
-- the 'running' state. Two claims racing for one key: the second waits for the first to commit,
-- then fails with a unique violation, and claims again at once (see the dispatcher).
--
-- tq_running_key holds one row per running keyed task, whose keys are distinct, so the index builds
-- on any database that ran V1 to V4.
CREATE UNIQUE INDEX tq_task_running_key ON tq_task (serial_key) WHERE state = 'running' AND serial_key IS NOT NULL;
DROP TABLE tq_running_key;
