package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

import dev.profilesync.simulator.Tenant;
import tools.jackson.databind.JsonNode;

/**
 * Compares the store, read through the profile API, with the simulated tenant's truth: the same users, and the same
 * SHA-256 over their attributes.
 */
final class StoreTruth {

    static final List<String> ATTRIBUTES = List.of("displayName", "mail", "jobTitle", "department",
            "officeLocation", "mobilePhone", "managerId");

    private StoreTruth() {
    }

    static void awaitStoreEqualsTruth(Tenant tenant, ProfileSyncClient client, Duration patience) {
        await().atMost(patience).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            TreeMap<String, String> lines = storeLines(client);
            assertThat(lines).hasSize(tenant.presentUsers());
            StringBuilder all = new StringBuilder();
            lines.forEach((id, line) -> all.append(id).append('|').append(line).append('\n'));
            assertThat(sha256(all.toString())).isEqualTo(tenant.checksum(ATTRIBUTES));
        });
    }

    private static TreeMap<String, String> storeLines(ProfileSyncClient client) {
        TreeMap<String, String> lines = new TreeMap<>();
        for (String cursor = "";;) {
            JsonNode result = client.applierGet("/api/v1/profiles?size=200" + (cursor.isEmpty() ? ""
                    : "&cursor=" + cursor));
            for (JsonNode profile : result.get("items")) {
                StringBuilder line = new StringBuilder();
                for (String attribute : ATTRIBUTES) {
                    line.append(profile.has(attribute) ? profile.get(attribute).asString() : "null").append('|');
                }
                lines.put(profile.get("id").asString(), line.toString());
            }
            if (!result.get("hasMore").booleanValue()) {
                return lines;
            }
            cursor = result.get("next").asString();
        }
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
