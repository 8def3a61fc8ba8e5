package dev.profilesync.photo.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import dev.profilesync.photo.thumbnail.ThumbnailRenderer.Thumbnail;

/**
 * {@code <root>/<user>/<version>/<size>.jpg}, with {@code <root>/<user>/current} naming the current version and the
 * Graph etag it came from. A version directory is written under a temporary name and renamed into place, then the
 * pointer file is replaced by an atomic rename, so readers see the old set or the new set, never a mix. The version
 * before the current one is kept for readers that resolved it a moment ago; older ones are deleted.
 */
public final class FileSystemPhotoStore implements PhotoStore {

    private static final String CURRENT = "current";

    private final Path root;

    public FileSystemPhotoStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public Optional<String> sourceEtag(String userId) {
        return pointer(userId).map(p -> p[1]);
    }

    @Override
    public synchronized String save(String userId, String sourceEtag, List<Thumbnail> thumbnails) {
        Path user = root.resolve(safe(userId));
        String version = version(sourceEtag, thumbnails);
        try {
            Files.createDirectories(user);
            Path target = user.resolve(version);
            if (!Files.isDirectory(target)) {
                Path staging = user.resolve(".staging-" + UUID.randomUUID());
                Files.createDirectories(staging);
                for (Thumbnail thumbnail : thumbnails) {
                    Files.write(staging.resolve(thumbnail.name() + ".jpg"), thumbnail.jpeg());
                }
                move(staging, target);
            }
            String previous = pointer(userId).map(p -> p[0]).orElse(null);
            Path pointer = user.resolve(".current-" + UUID.randomUUID());
            Files.writeString(pointer, version + "\n" + sourceEtag, StandardCharsets.UTF_8);
            move(pointer, user.resolve(CURRENT));
            prune(user, version, previous);
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<StoredThumbnail> read(String userId, String size) {
        return pointer(userId).flatMap(p -> {
            try {
                return Optional.of(new StoredThumbnail(p[0], Files.readAllBytes(root.resolve(safe(userId))
                        .resolve(p[0]).resolve(safe(size) + ".jpg"))));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public Optional<String> announcedEtag(String userId) {
        Path marker = announced(userId);
        try {
            return Files.exists(marker) ? Optional.of(Files.readString(marker, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void markAnnounced(String userId, String etag) {
        Path marker = announced(userId);
        try {
            if (etag == null || etag.isEmpty()) {
                Files.deleteIfExists(marker);
                return;
            }
            Files.createDirectories(marker.getParent());
            Path staging = marker.resolveSibling("." + marker.getFileName() + "-" + UUID.randomUUID());
            Files.writeString(staging, etag, StandardCharsets.UTF_8);
            move(staging, marker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <root>/.announced/<user>}: outside the user's thumbnails, so removing those keeps it. */
    private Path announced(String userId) {
        return root.resolve(".announced").resolve(safe(userId));
    }

    @Override
    public synchronized boolean remove(String userId) {
        Path user = root.resolve(safe(userId));
        if (!Files.exists(user.resolve(CURRENT))) {
            return false;
        }
        try {
            Files.deleteIfExists(user.resolve(CURRENT));
            deleteTree(user);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String[]> pointer(String userId) {
        try {
            String[] lines = Files.readString(root.resolve(safe(userId)).resolve(CURRENT), StandardCharsets.UTF_8)
                    .split("\n", 2);
            return lines.length == 2 ? Optional.of(lines) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void prune(Path user, String current, String previous) throws IOException {
        try (Stream<Path> entries = Files.list(user)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && !name.equals(current) && !name.equals(previous)
                        && !name.startsWith(".staging-")) {
                    deleteTree(entry);
                }
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String version(String sourceEtag, List<Thumbnail> thumbnails) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(sourceEtag.getBytes(StandardCharsets.UTF_8));
            for (Thumbnail thumbnail : thumbnails) {
                digest.update(thumbnail.name().getBytes(StandardCharsets.UTF_8));
                digest.update(thumbnail.jpeg());
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Only ids and size names that cannot walk out of the root. */
    private static String safe(String name) {
        if (!name.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("not a safe path element: " + name);
        }
        return name;
    }
}
