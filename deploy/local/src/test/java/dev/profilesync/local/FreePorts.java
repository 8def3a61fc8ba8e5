package dev.profilesync.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Settings of an embedded system on free loopback ports, for tests that must not clash with a running one. Ports are
 * taken below the kernel's ephemeral range (32768 and up), where outgoing connections (Kafka clients, HTTP) take
 * their local ports: a port found free there could be taken again by a connection before the service binds it.
 * A port is never handed out twice in one test run.
 */
final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    static LocalSettings settings(Path dataDir, String datasourceUrl) {
        return new LocalSettings(dataDir, port(), port(), port(), port(), port(), port(), port(),
                new LocalSettings.ManagementPorts(port(), port(), port(), port(), port()), datasourceUrl,
                "it-intake-key-0123456789abcdef",
                4, port(), 0, 0);
    }

    /** A free port on the loopback address, handed out once per test run. */
    static synchronized int port() {
        while (true) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            if (HANDED_OUT.contains(candidate)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                HANDED_OUT.add(candidate);
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
    }
}
