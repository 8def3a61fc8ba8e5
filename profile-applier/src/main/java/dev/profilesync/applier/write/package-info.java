/**
 * The write path: one poll of {@code directory.user-changes} becomes one store transaction ({@code PollApplier}),
 * merged per user under the ownership rule and written as convergent last-writer-wins upserts. Public types here are
 * the API the benchmark uses to run exactly the applier's merge and SQL.
 */
package dev.profilesync.applier.write;
