/**
 * The read side: profiles, search and sync status over HTTP, answered from the store's read queries and, for queued
 * changes, from Kafka. It shares only the table's shape with the write path.
 */
package dev.profilesync.applier.read;
