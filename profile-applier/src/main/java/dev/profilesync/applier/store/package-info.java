/** The profile table's shape, shared by the write path and the read side. */
package dev.profilesync.applier.store;
