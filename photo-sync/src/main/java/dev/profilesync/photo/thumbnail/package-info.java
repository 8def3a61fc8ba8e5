/** Turning untrusted image bytes into square thumbnails, or a clear reason why not. */
package dev.profilesync.photo.thumbnail;
