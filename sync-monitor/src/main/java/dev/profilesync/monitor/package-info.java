/**
 * sync-monitor: watches every consumer group of the contract from outside and reports its lag as sync delay. It only
 * reads from Kafka, so it is safe at any number of replicas.
 */
package dev.profilesync.monitor;
