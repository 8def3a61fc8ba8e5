/**
 * The profile-sync event contract: the one place that names topics, keys, dead-letter topics, event types and their
 * wire format. Services depend on this module, never on each other.
 */
package dev.profilesync.events;
