package dev.profilesync.local;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end path on the embedded default: the H2 file store. */
class EndToEndH2IT extends EndToEndContract {

    @TempDir
    static Path dataDir;

    static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.start(FreePorts.settings(dataDir, null));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Override
    LocalSystem system() {
        return system;
    }
}
