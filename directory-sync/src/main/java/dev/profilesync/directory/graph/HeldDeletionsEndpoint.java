package dev.profilesync.directory.graph;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * The operator's answer to a full resynchronisation that held its deletions back ({@code max-deletion-share}):
 * {@code GET /actuator/helddeletions} shows them (on the active instance), {@code POST} confirms them (the users Graph
 * no longer lists and nobody has seen since are deleted), {@code DELETE} dismisses them (nobody is deleted). POST and
 * DELETE work on any instance: the instruction reaches the active one through Kafka. Give {@code round} to act only
 * on the hold you looked at.
 */
@Component
@Endpoint(id = "helddeletions")
class HeldDeletionsEndpoint {

    private final DirectoryReader reader;

    HeldDeletionsEndpoint(DirectoryReader reader) {
        this.reader = reader;
    }

    @ReadOperation
    Map<String, Object> held() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role", reader.active() ? "active" : "standby");
        DirectoryState.HeldDeletions held = reader.heldDeletions();
        if (reader.active()) {
            body.put("held", held != null);
            if (held != null) {
                body.put("round", held.roundId());
                body.put("users", held.count());
            }
        } else {
            body.put("detail", "only the active instance knows; see profile_sync_graph_deletions_held");
        }
        return body;
    }

    @WriteOperation
    Map<String, Object> confirm(@Nullable String round) {
        reader.decideHeldDeletions(true, round);
        return Map.of("instruction", "confirm", "round", round == null ? "*" : round);
    }

    @DeleteOperation
    Map<String, Object> dismiss(@Nullable String round) {
        reader.decideHeldDeletions(false, round);
        return Map.of("instruction", "dismiss", "round", round == null ? "*" : round);
    }
}
