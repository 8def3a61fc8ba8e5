/** Benchmarks of the applier against the store's ceiling and a textbook per-record consumer. */
package dev.profilesync.bench;
