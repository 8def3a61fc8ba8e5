/**
 * Consumer lag as sync delay, measured from outside the consumers: for every watched group and partition, the age of
 * the oldest record not yet processed, read from committed offsets and the records themselves.
 */
package dev.profilesync.monitor.lag;
