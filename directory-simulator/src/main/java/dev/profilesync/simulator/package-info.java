/**
 * A simulated Microsoft Graph v1.0 tenant over HTTP, close enough that the unmodified Graph SDK talks to it: users and
 * their delta queries, photos with media etags, {@code $batch}, change notifications, a change generator and fault
 * injection, plus an admin API that tells the tenant's truth.
 */
package dev.profilesync.simulator;
