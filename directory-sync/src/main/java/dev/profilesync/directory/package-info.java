/**
 * directory-sync: reads users from Microsoft Graph into contract events. However many instances run, one per tenant
 * is active (it holds the Kafka lease) and only it can publish (its producer's fixed transactional id fences the rest).
 */
package dev.profilesync.directory;
