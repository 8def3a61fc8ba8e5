package dev.profilesync.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Client secrets (intake keys, SCIM tokens) are kept and compared only as SHA-256 hashes: a configuration may hold the
 * hash alone, and a presented secret is hashed and compared with every configured hash in constant time.
 */
public final class SecretHashes {

    private SecretHashes() {
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * The index of the hash the presented secret matches, or -1. Every hash is compared, so the time taken does not
     * tell which one matched or how much of it.
     */
    public static int match(String presented, List<byte[]> hashes) {
        byte[] candidate = sha256(presented);
        int found = -1;
        for (int i = 0; i < hashes.size(); i++) {
            if (MessageDigest.isEqual(candidate, hashes.get(i))) {
                found = i;
            }
        }
        return found;
    }
}
