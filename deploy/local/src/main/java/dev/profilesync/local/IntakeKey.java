package dev.profilesync.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The embedded default's intake key: the one given with {@code --api-key}, or a random one made at the first start and
 * kept (readable by the owner only) in {@code <data>/intake-api-key}, so no two installations share a key and the
 * next start finds the same one.
 */
public final class IntakeKey {

    static final String FILE = "intake-api-key";

    private IntakeKey() {
    }

    static String of(LocalSettings settings) throws IOException {
        if (settings.apiKey() != null) {
            return settings.apiKey();
        }
        return kept(settings.dataDir().resolve(FILE), 24);
    }

    /**
     * The secret kept in {@code file}, or a new random one of {@code bytes} bytes (base64url) written there, readable
     * by the owner only. Also the photo-link secret the applier and photo-sync share.
     */
    public static String kept(Path file, int bytes) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.getParent());
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
        return key;
    }
}
