/**
 * A profile-sync deployment as separate processes on one machine, for fault and scale-out runs: a three-node KRaft
 * cluster of real broker processes, the services as JVM processes, PostgreSQL behind a cuttable TCP proxy, the
 * directory simulator, a steady load, and an observer of the snapshot stream that measures sync delay and regressions.
 */
package dev.profilesync.local.cluster;
