package dev.profilesync.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** An HTTP response of the simulator, kept as data so that {@code $batch} can embed it. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static Reply json(int status, Object body) {
        return new Reply(status, "application/json", JSON.writeValueAsBytes(body), Map.of());
    }

    static Reply error(int status, String code, String message) {
        return json(status, Map.of("error", Map.of("code", code, "message", message)));
    }

    static Reply text(int status, String text) {
        return new Reply(status, "text/plain", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply empty(int status) {
        return new Reply(status, null, new byte[0], Map.of());
    }

    Reply withHeader(String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return new Reply(status, contentType, body, all);
    }
}
