package dev.profilesync.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The embedded default's own token issuer, so reads need a credential there too without any identity provider: at
 * the first start it makes an RSA key pair under the data directory ({@value #PUBLIC_KEY} is what profile-applier
 * trusts) and writes two bearer tokens, {@value #READ_TOKEN} (app role {@code Profiles.Read}) and
 * {@value #OPERATOR_TOKEN} (also {@code Profiles.Operate}), valid for a year. Production uses Entra ID instead.
 */
public final class LocalTokens {

    public static final String ISSUER = "profile-sync-local";
    public static final String AUDIENCE = "profile-sync";
    static final String PUBLIC_KEY = "jwt-public.pem";
    static final String PRIVATE_KEY = "jwt-signing-key.der";
    public static final String READ_TOKEN = "read-token";
    public static final String OPERATOR_TOKEN = "operator-token";

    private final Path dir;

    private LocalTokens(Path dir) {
        this.dir = dir;
    }

    /** The issuer of {@code dataDir}: its key pair and tokens, made on first use. */
    public static LocalTokens in(Path dataDir) throws IOException {
        LocalTokens tokens = new LocalTokens(dataDir);
        tokens.ensure();
        return tokens;
    }

    /** The public key file, for {@code spring.security.oauth2.resourceserver.jwt.public-key-location}. */
    public Path publicKey() {
        return dir.resolve(PUBLIC_KEY);
    }

    public String readToken() throws IOException {
        return Files.readString(dir.resolve(READ_TOKEN), StandardCharsets.UTF_8).trim();
    }

    public String operatorToken() throws IOException {
        return Files.readString(dir.resolve(OPERATOR_TOKEN), StandardCharsets.UTF_8).trim();
    }

    private void ensure() throws IOException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(PRIVATE_KEY)) && Files.exists(dir.resolve(READ_TOKEN))
                && Files.exists(dir.resolve(OPERATOR_TOKEN))) {
            return;
        }
        try {
            KeyPair pair = keyPair();
            RSAPrivateKey signing = (RSAPrivateKey) pair.getPrivate();
            writePrivate(dir.resolve(READ_TOKEN), token(signing, "local-reader", List.of("Profiles.Read")));
            writePrivate(dir.resolve(OPERATOR_TOKEN), token(signing, "local-operator",
                    List.of("Profiles.Read", "Profiles.Operate")));
        } catch (JOSEException | NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("cannot make the local tokens", e);
        }
    }

    private KeyPair keyPair() throws IOException, NoSuchAlgorithmException, InvalidKeySpecException {
        Path privateKey = dir.resolve(PRIVATE_KEY);
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        if (Files.exists(privateKey) && Files.exists(publicKey())) {
            String pem = Files.readString(publicKey(), StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s",
                    "");
            return new KeyPair(rsa.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem))),
                    rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateKey))));
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.write(privateKey, pair.getPrivate().getEncoded());
        restrict(privateKey);
        RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
        Files.writeString(publicKey(), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
        return pair;
    }

    private static String token(RSAPrivateKey key, String subject, List<String> roles) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim("roles", roles).issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(60)))
                .expirationTime(Date.from(now.plus(Duration.ofDays(365)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
        restrict(file);
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
