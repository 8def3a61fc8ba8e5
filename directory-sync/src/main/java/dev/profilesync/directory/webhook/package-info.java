/** The Graph change-notification webhook: validation handshake, clientState check, and a wake-up for the reader. */
package dev.profilesync.directory.webhook;
