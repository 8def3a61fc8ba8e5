/** The live status page: sync delay, lag per partition, delay history, dead letters, the directory reader. */
package dev.profilesync.monitor.status;
