package dev.profilesync.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Settings of an embedded system on free loopback ports, for tests that must not clash with a running one. */
final class FreePorts {

    private FreePorts() {
    }

    static LocalSettings settings(Path dataDir, String datasourceUrl) {
        return new LocalSettings(dataDir, port(), port(), port(), port(), port(), port(), port(), datasourceUrl,
                "it-intake-key-0123456789abcdef",
                4, port(), 0, 0);
    }

    private static int port() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
