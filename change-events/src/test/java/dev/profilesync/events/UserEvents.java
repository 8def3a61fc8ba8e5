package dev.profilesync.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Object Mother of contract events for tests. */
final class UserEvents {

    static final String ADA = "6e7b768e-07e2-4810-8459-485f84f8f204";

    private UserEvents() {
    }

    static UserChanged jobTitleChanged(String userId, String title, Instant at) {
        return new UserChanged(UUID.randomUUID().toString(), userId, "graph", at, Map.of(ProfileField.JOB_TITLE, title));
    }
}
