-- pgbench script for docs/benchmarks-reporting.md ("The chain's share"): run against a benchmark database after a reporting run, e.g. pgbench -n -f bench/reporting-sql/nochain.sql -c 1 -T 8 <url of itsm_bench_reporting>. It writes rows that break the chain: only on a throwaway benchmark database.
BEGIN;
INSERT INTO reporting.event_archive (sequence, event_id, topic, kafka_partition, kafka_offset, type, source, subject, time, event, family, record_type, record_ids, previous_hash, hash)
  SELECT nextval('reporting.event_archive_sequence_seq') + 100000000, gen_random_uuid()::text, 'bench.pgbench', 0, 0, 'itsm.bench.pgbench.v1', '/bench', 'x', now(), sample.event, 'incident', NULL, '{}', 'x', 'x'
    FROM (SELECT event FROM reporting.event_archive WHERE sequence = 2) AS sample;
COMMIT;
