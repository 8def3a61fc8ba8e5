/** profile-applier: applies contract events from Kafka to the profile store and serves the profiles. */
package dev.profilesync.applier;
