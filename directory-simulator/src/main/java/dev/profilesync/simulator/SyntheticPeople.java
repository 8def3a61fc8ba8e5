package dev.profilesync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Deterministic people for a seeded tenant: user {@code i} always has the same id and attributes, computed on demand
 * rather than stored, so a tenant of a million users costs memory only for what changed.
 */
final class SyntheticPeople {

    private static final String[] GIVEN = {"Ada", "Alan", "Grace", "Barbara", "Edsger", "Donald", "Frances", "John",
        "Margaret", "Tim", "Radia", "Ken", "Dennis", "Hedy", "Katherine", "Linus", "Guido", "Anders", "Niklaus", "Leslie",
        "Shafi", "Sophie", "Annie", "Jean", "Karen", "Lynn", "Ivan", "Bjarne", "James", "Yukihiro"};
    private static final String[] SURNAMES = {"Lovelace", "Turing", "Hopper", "Liskov", "Dijkstra", "Knuth", "Allen",
        "McCarthy", "Hamilton", "Berners-Lee", "Perlman", "Thompson", "Ritchie", "Lamarr", "Johnson", "Torvalds",
        "van Rossum", "Hejlsberg", "Wirth", "Lamport", "Goldwasser", "Wilson", "Easley", "Sammet", "Jones", "Conway",
        "Sutherland", "Stroustrup", "Gosling", "Matsumoto"};
    static final String[] DEPARTMENTS = {"Engineering", "Sales", "Finance", "Legal", "Support", "Research", "Marketing",
        "People"};
    static final String[] TITLES = {"Engineer", "Senior Engineer", "Staff Engineer", "Analyst", "Account Executive",
        "Counsel", "Support Specialist", "Researcher", "Designer", "Manager", "Director"};
    static final String[] OFFICES = {"Oslo", "London", "Dublin", "Seattle", "Singapore", "Berlin", "Toronto", "Madrid"};

    private final long seed;
    private final String domain;

    SyntheticPeople(long seed, String domain) {
        this.seed = seed;
        this.domain = domain;
    }

    /** A version-4 shaped UUID whose last eight hex digits are the index, so an id leads back to its user. */
    String id(int index) {
        long a = mix(seed * 31 + index);
        long b = mix(a ^ (index * 0x9E3779B97F4A7C15L));
        long low = (b & 0x3FFFFFFF00000000L) | 0x8000000000000000L | (index & 0xFFFFFFFFL);
        return new UUID((a & ~0xF000L) | 0x4000L, low).toString();
    }

    /** The index an id was made for, if it was made by {@link #id(int)}. */
    int indexOf(String id) {
        if (id == null || id.length() != 36) {
            return -1;
        }
        try {
            int index = (int) Long.parseLong(id.substring(28), 16);
            return index >= 0 && id(index).equalsIgnoreCase(id) ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Every attribute of user {@code index} as first created. */
    Map<String, Object> user(int index) {
        long h = mix(seed ^ index);
        String given = GIVEN[(int) Math.floorMod(h, GIVEN.length)];
        String surname = SURNAMES[(int) Math.floorMod(h >>> 8, SURNAMES.length)];
        String login = (given + "." + surname.replace(" ", "").replace("-", "") + index).toLowerCase(Locale.ROOT);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id(index));
        user.put("displayName", given + " " + surname);
        user.put("givenName", given);
        user.put("surname", surname);
        user.put("mail", login + "@" + domain);
        user.put("userPrincipalName", login + "@" + domain);
        user.put("jobTitle", TITLES[(int) Math.floorMod(h >>> 16, TITLES.length)]);
        user.put("department", DEPARTMENTS[(int) Math.floorMod(h >>> 24, DEPARTMENTS.length)]);
        user.put("officeLocation", OFFICES[(int) Math.floorMod(h >>> 32, OFFICES.length)]);
        user.put("mobilePhone", padded("+47 ", Math.floorMod(h >>> 20, 100_000_000), 8));
        List<String> phones = new ArrayList<>();
        phones.add(padded("+47 2", Math.floorMod(h >>> 12, 10_000_000), 7));
        user.put("businessPhones", phones);
        user.put("accountEnabled", true);
        return user;
    }

    /**
     * {@code prefix} and {@code number} zero-padded to {@code digits}: what {@code String.format("%0<digits>d")} gives,
     * which took over a quarter of the simulator's time serving a full load.
     */
    static String padded(String prefix, long number, int digits) {
        String text = Long.toString(number);
        StringBuilder padded = new StringBuilder(prefix.length() + Math.max(digits, text.length())).append(prefix);
        for (int i = text.length(); i < digits; i++) {
            padded.append('0');
        }
        return padded.append(text).toString();
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
