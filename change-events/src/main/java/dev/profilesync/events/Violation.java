package dev.profilesync.events;

/**
 * One reason an event or a request item is not acceptable.
 *
 * @param pointer JSON pointer of the offending value, e.g. {@code /changes/3/fields/jobTitle}
 * @param reason machine-readable reason code, e.g. {@code unknown-field}
 * @param message a sentence for humans
 */
public record Violation(String pointer, String reason, String message) {
}
