/**
 * Reading the directory from Microsoft Graph: delta rounds for users (on a schedule and when a change notification
 * arrives), photo media-etag sweeps, the webhook and its subscription, and the durable position in between.
 */
package dev.profilesync.directory.graph;
