/**
 * Exactly one active directory reader per tenant: the lease (Kafka group membership on a one-partition topic) says
 * who is active, and the fenced publisher (a transactional id fixed per tenant) makes sure nobody else can publish.
 */
package dev.profilesync.directory.leader;
