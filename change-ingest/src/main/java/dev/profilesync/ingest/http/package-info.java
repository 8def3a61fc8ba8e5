/** The HTTP intake: other services post user changes; every accepted change is on Kafka before the reply. */
package dev.profilesync.ingest.http;
