/**
 * SCIM 2.0 provisioning (RFC 7643, 7644) on {@code /scim/v2}: identity providers (Entra ID app provisioning, Okta,
 * OneLogin, ...) push users; writes become change events on {@code directory.user-changes} from the client's own
 * source, reads come from the profile store, with the client's pending writes overlaid until the applier has stored
 * them.
 */
package dev.profilesync.applier.scim;
