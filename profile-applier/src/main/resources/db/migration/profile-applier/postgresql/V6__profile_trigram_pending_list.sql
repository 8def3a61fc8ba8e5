-- The trigram index takes new entries into a pending list first (GIN's fastupdate) and merges them in bulk; every
-- search scans that list. With the default limit (4 MB) the list grows long under a stream of updates and each search
-- pays for it; without the list (fastupdate off) every update that leaves its page writes its trigrams into the index
-- one by one, and the applier's update rate fell by about a third (bench/results/reads.md). A 256 kB list keeps the
-- batching for writes and gives searches a short list to scan.
ALTER INDEX profile_display_name_trgm_idx SET (gin_pending_list_limit = 256);
