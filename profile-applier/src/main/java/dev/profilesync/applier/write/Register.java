package dev.profilesync.applier.write;

/**
 * A last-writer-wins register: a value and the version of the write that set it. Merging keeps the higher version,
 * which makes merges commutative, associative and idempotent.
 *
 * @param value a {@code String}, {@code List<String>}, {@code Boolean}, or null for a cleared field
 */
record Register(Object value, Version version) {

    static Register newer(Register current, Register candidate) {
        if (current == null) {
            return candidate;
        }
        return candidate != null && candidate.version().isNewerThan(current.version()) ? candidate : current;
    }
}
