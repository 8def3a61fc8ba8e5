/** Where thumbnails live and how they are served. */
package dev.profilesync.photo.store;
