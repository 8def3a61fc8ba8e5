/** The operator's way back from the dead-letter topic: counting and replaying dead letters. */
package dev.profilesync.applier.deadletter;
