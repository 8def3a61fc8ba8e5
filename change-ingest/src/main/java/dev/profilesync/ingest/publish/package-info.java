/** Publishing contract events to Kafka, all or nothing. */
package dev.profilesync.ingest.publish;
