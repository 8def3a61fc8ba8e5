/** photo-sync: photo-change events to validated thumbnails in the photo store, served over HTTP. */
package dev.profilesync.photo;
