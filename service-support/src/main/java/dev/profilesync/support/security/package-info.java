/** How the services lock their HTTP doors: the shared stateless-API setup, app roles, signed photo links. */
package dev.profilesync.support.security;
