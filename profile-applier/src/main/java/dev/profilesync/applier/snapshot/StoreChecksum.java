package dev.profilesync.applier.snapshot;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

import dev.profilesync.applier.store.ProfileTable;

/**
 * A fingerprint of a store's live profiles: the SHA-256 of every present row (each register's value and version, the
 * newest change's version and source), summed modulo 2^256, so it does not depend on the order rows are read in (H2
 * and PostgreSQL may sort differently). Two stores with the same checksum hold the same profiles and
 * converge the same way from here (when each row was applied is left out: a rebuild applies them anew).
 */
public record StoreChecksum(long profiles, String sha256) {

    static StoreChecksum of(Connection connection) throws SQLException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        BigInteger sum = BigInteger.ZERO;
        long count = 0;
        connection.setAutoCommit(false);
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT * FROM profile WHERE present = TRUE")) {
            query.setFetchSize(5_000);
            try (ResultSet rs = query.executeQuery()) {
                StringBuilder row = new StringBuilder(512);
                while (rs.next()) {
                    row.setLength(0);
                    row.append(rs.getString("user_id"));
                    for (String register : ProfileTable.REGISTERS) {
                        String value = register.equals("present") ? "true" : rs.getString(register);
                        row.append('\u001f').append(value == null ? "\u0000" : value)
                                .append('\u001f').append(rs.getLong(register + "_ts")).append(rs.wasNull() ? "n" : "")
                                .append('\u001f').append(rs.getString(register + "_eid"));
                    }
                    row.append('\u001f').append(rs.getLong("last_observed_ts")).append('\u001f')
                            .append(rs.getString("last_event_id")).append('\u001f').append(rs.getString("last_source"))
                            .append('\u001e');
                    sum = sum.add(new BigInteger(1, digest.digest(row.toString().getBytes(StandardCharsets.UTF_8))));
                    count++;
                }
            }
        } finally {
            connection.rollback();
        }
        byte[] bytes = sum.mod(BigInteger.TWO.pow(256)).toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return new StoreChecksum(count, HexFormat.of().formatHex(fixed));
    }
}
