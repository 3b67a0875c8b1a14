-- pgbench script for docs/benchmarks-reporting.md ("The chain's share"): run against a benchmark database after a reporting run, e.g. pgbench -n -f bench/reporting-sql/bare.sql -c 1 -T 8 <url of itsm_bench_reporting>.
-- Needs: CREATE TABLE bench_tx (id bigserial PRIMARY KEY, at timestamptz);
BEGIN;
INSERT INTO bench_tx (at) VALUES (clock_timestamp());
COMMIT;
