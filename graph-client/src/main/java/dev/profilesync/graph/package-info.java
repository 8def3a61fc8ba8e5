/** The Microsoft Graph SDK client as every service builds it. */
package dev.profilesync.graph;
