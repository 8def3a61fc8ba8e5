/** What is still queued in Kafka for a user: the answer to "why don't I see my change yet?". */
package dev.profilesync.applier.backlog;
