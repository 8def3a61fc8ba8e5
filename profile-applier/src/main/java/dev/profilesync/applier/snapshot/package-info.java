/**
 * Profiles out: the snapshot stream {@code profile.snapshots} (every user of an applied poll, published with the
 * poll's offsets in one Kafka transaction after the store commit), and the rebuild of a store from it.
 */
package dev.profilesync.applier.snapshot;
