-- pgbench script for docs/benchmarks-reporting.md ("The chain's share"): run against a benchmark database after a reporting run, e.g. pgbench -n -f bench/reporting-sql/chain.sql -c 1 -T 8 <url of itsm_bench_reporting>. It writes rows that break the chain: only on a throwaway benchmark database.
BEGIN;
SELECT sequence, hash FROM reporting.event_archive_chain_head WHERE chain = 'event_archive' FOR UPDATE;
WITH appended AS (
  INSERT INTO reporting.event_archive (sequence, event_id, topic, kafka_partition, kafka_offset, type, source, subject, time, event, family, record_type, record_ids, previous_hash, hash)
  SELECT head.sequence + 1, gen_random_uuid()::text, 'bench.pgbench', 0, head.sequence + 1, 'itsm.bench.pgbench.v1', '/bench', 'x', now(), sample.event, 'incident', NULL, '{}', head.hash, md5(random()::text) || md5(random()::text)
    FROM reporting.event_archive_chain_head AS head, (SELECT event FROM reporting.event_archive WHERE sequence = 2) AS sample
   WHERE head.chain = 'event_archive'
  RETURNING sequence, hash)
UPDATE reporting.event_archive_chain_head SET sequence = appended.sequence, hash = appended.hash FROM appended WHERE chain = 'event_archive';
COMMIT;
