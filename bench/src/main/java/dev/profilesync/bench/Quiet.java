package dev.profilesync.bench;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Brings the machine to the same quiet state before each measured phase: PostgreSQL checkpoints (so no phase pays
 * for a checkpoint another phase caused, and each starts with the same full-page-write cost) and the kernel writes
 * back dirty pages (the broker's log of the pre-loaded records, the files of dropped schemas). Without it, the same
 * phase varied by up to a third from run to run on this machine.
 */
final class Quiet {

    private Quiet() {
    }

    static void settle() {
        try {
            BenchDatabase.execute("CHECKPOINT");
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            sync.waitFor();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot settle the machine before a measurement", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
