/** change-ingest: turns directory changes from every entry point into contract events on Kafka. */
package dev.profilesync.ingest;
