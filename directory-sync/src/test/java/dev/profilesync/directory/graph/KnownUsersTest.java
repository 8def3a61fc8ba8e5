package dev.profilesync.directory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class KnownUsersTest {

    @Test
    void guidsAreReadAsUuidReadsThemAndOnlyInGraphsForm() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            UUID uuid = new UUID(random.nextLong(), random.nextLong());
            assertThat(KnownUsers.guid(uuid.toString())).isEqualTo(uuid);
        }
        String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assertThat(KnownUsers.guid(id)).isEqualTo(UUID.fromString(id));
        assertThat(KnownUsers.guid(id.toUpperCase(java.util.Locale.ROOT))).isNull();
        assertThat(KnownUsers.guid(id.replace('-', 'x'))).isNull();
        assertThat(KnownUsers.guid("0f8fad5bd-9cb-469f-a165-70867728950e")).isNull();
        assertThat(KnownUsers.guid("0f8fad5b-d9cb-469f-a165-70867728950g")).isNull();
        assertThat(KnownUsers.guid(id + "0")).isNull();
        assertThat(KnownUsers.guid("ext-user-1")).isNull();
        assertThat(KnownUsers.guid(null)).isNull();
    }

    @Test
    void behavesLikeAMapThroughPutsRemovalsAndGrowth() {
        KnownUsers users = new KnownUsers();
        Map<String, String[]> reference = new HashMap<>();
        Random random = new Random(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        }
        ids.add("not-a-guid@contoso.com");
        ids.add("6E7B768E-07E2-4810-8459-485F84F8F204");
        for (int step = 0; step < 200_000; step++) {
            String id = ids.get(random.nextInt(ids.size()));
            if (random.nextInt(4) == 0) {
                users.remove(id);
                reference.remove(id);
            } else {
                String etag = random.nextInt(5) == 0 ? "" : "W/\"" + Long.toHexString(random.nextLong()) + "\"";
                String round = random.nextInt(3) == 0 ? "" : "round-" + random.nextInt(3);
                users.put(id, etag, round);
                reference.put(id, new String[] {etag, round});
            }
        }
        assertThat(users.size()).isEqualTo(reference.size());
        for (String id : ids) {
            String[] expected = reference.get(id);
            assertThat(users.contains(id)).as(id).isEqualTo(expected != null);
            assertThat(users.etag(id)).isEqualTo(expected == null ? null : expected[0]);
            assertThat(users.round(id)).isEqualTo(expected == null ? null : expected[1]);
        }
        List<String> seen = new ArrayList<>();
        users.forEach(seen::add);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(reference.keySet());
    }

    @Test
    void handsOutTheIdsAfterACursorInIdOrder() {
        KnownUsers users = new KnownUsers();
        Random random = new Random(2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // the sign bits vary: ids must come out in text order, which is unsigned order
            String id = new UUID(random.nextLong(), random.nextInt(3) == 0 ? -random.nextLong() : random.nextLong())
                    .toString();
            ids.add(id);
            users.put(id, "", "");
        }
        ids.add("zz-not-a-guid");
        users.put("zz-not-a-guid", "", "");
        List<String> sorted = ids.stream().sorted().toList();
        String after = sorted.get(1_234);

        KnownUsers.SortedIds remaining = users.sortedAfter(after);
        List<String> out = new ArrayList<>();
        for (List<String> chunk = remaining.next(100); !chunk.isEmpty(); chunk = remaining.next(100)) {
            out.addAll(chunk);
        }
        assertThat(out).containsExactlyElementsOf(sorted.subList(1_235, sorted.size()));
        assertThat(users.sortedAfter("").next(10)).containsExactlyElementsOf(sorted.subList(0, 10));
    }
}
