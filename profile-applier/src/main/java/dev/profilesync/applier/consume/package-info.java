/** Consuming {@code directory.user-changes}: batches into the store, poison records into the dead-letter topic. */
package dev.profilesync.applier.consume;
