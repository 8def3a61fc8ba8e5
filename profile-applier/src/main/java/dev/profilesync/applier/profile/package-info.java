/** The profile store and its convergence rule, and the profile read API. */
package dev.profilesync.applier.profile;
