package dev.profilesync.local;

import java.io.PrintStream;

/**
 * {@code ./profile-sync-local}: starts the embedded default and prints where everything is. Ctrl-C stops it cleanly;
 * the next start reuses {@code ./data}.
 */
public final class LocalRunner {

    private LocalRunner() {
    }

    public static void main(String[] args) throws Exception {
        LocalSettings settings = LocalSettings.fromArgs(args);
        long started = System.nanoTime();
        LocalSystem system = LocalSystem.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("profile-sync: stopping");
            system.close();
        }, "profile-sync-shutdown"));
        printBanner(System.out, system.settings(), (System.nanoTime() - started) / 1_000_000);
    }

    static void printBanner(PrintStream out, LocalSettings s, long startMillis) {
        String ingest = "http://127.0.0.1:" + s.ingestPort();
        String applier = "http://127.0.0.1:" + s.applierPort();
        out.printf("""

                profile-sync is running (embedded mode, started in %d ms). Ctrl-C stops it; data stays in %s

                  Kafka broker (KRaft)   %s            topics directory.user-changes, directory.photo-changes
                  change-ingest          %s/api/v1/changes   header X-Api-Key: %s
                                         (kept in %s; the client may claim the sources hr-system, directory,
                                         self-service)
                  directory-sync         %s   (reads the simulated tenant; webhook /graph/notifications)
                  profile-applier        %s/api/v1/profiles/{id}   header Authorization: Bearer <%s>
                                         (role Profiles.Read; %s also has Profiles.Operate)
                  SCIM 2.0               %s/scim/v2   header Authorization: Bearer <%s>
                  photo-sync             %s/api/v1/photos/{id}/{small|medium|large}
                                         (signed links in each profile's "photo" field, or a read token)
                  sync-monitor           %s/status   (live status page)
                  profile store          %s
                  directory simulator    %s
                  management ports       ingest %d, applier %d, photo %d, directory %d, monitor %d:
                                         /actuator/health, /actuator/prometheus; operator endpoints

                Try it:
                  curl -i -X POST %s/api/v1/changes -H 'Content-Type: application/json' -H 'X-Api-Key: %s' \\
                    -d '{"source":"hr-system","changes":[{"userId":"6e7b768e-07e2-4810-8459-485f84f8f204","fields":{"displayName":"Ada Lovelace","jobTitle":"Analyst"}}]}'
                  curl -H "Authorization: Bearer $(cat %s)" %s/api/v1/profiles/6e7b768e-07e2-4810-8459-485f84f8f204

                """, startMillis, s.dataDir().toAbsolutePath(), s.bootstrapServers(), ingest, s.apiKey(),
                s.dataDir().resolve(IntakeKey.FILE),
                s.simulatorUsers() == 0 ? "off" : "http://127.0.0.1:" + s.directoryPort(), applier,
                s.dataDir().resolve(LocalTokens.READ_TOKEN), s.dataDir().resolve(LocalTokens.OPERATOR_TOKEN),
                applier, s.dataDir().resolve(LocalSystem.SCIM_TOKEN_FILE),
                s.simulatorUsers() == 0 ? "off" : "http://127.0.0.1:" + s.photoPort(),
                "http://127.0.0.1:" + s.monitorPort(),
                s.effectiveDatasourceUrl(), s.simulatorUsers() == 0 ? "off"
                        : "http://127.0.0.1:" + s.simulatorPort() + "/v1.0 (" + s.simulatorUsers() + " users, "
                                + s.simulatorChangesPerSecond() + " changes/s; admin API under /admin)",
                s.management().ingest(), s.management().applier(), s.management().photo(),
                s.management().directory(), s.management().monitor(),
                ingest, s.apiKey(), s.dataDir().resolve(LocalTokens.READ_TOKEN), applier);
    }
}
