-- V6 held the trigram index's pending list to 256 kB for every writer, which keeps searches under a stream of updates
-- cheap but makes a load of new profiles merge the list into the index sixteen times as often. The applier now sets
-- the limit per transaction (gin_pending_list_limit: 256 kB while it mostly updates, 4 MB while it mostly inserts),
-- and an index's own setting would override that, so it goes. Other writers get the server's setting (default 4 MB).
ALTER INDEX profile_display_name_trgm_idx RESET (gin_pending_list_limit);
