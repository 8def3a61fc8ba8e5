/** Consuming photo-change events: fetch, validate, render, store, announce. */
package dev.profilesync.photo.sync;
