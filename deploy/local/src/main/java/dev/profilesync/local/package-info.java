/** The embedded one-command mode: a real KRaft broker and every service in one JVM, data under {@code ./data}. */
package dev.profilesync.local;
