/**
 * How the services lock their HTTP doors: the shared stateless-API setup, app roles, bearer tokens, the firewall's
 * header checks, signed photo links.
 */
package dev.profilesync.support.security;
