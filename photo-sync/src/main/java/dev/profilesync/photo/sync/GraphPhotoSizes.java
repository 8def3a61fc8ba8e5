package dev.profilesync.photo.sync;

import java.util.List;

/**
 * The square sizes in which Microsoft Graph keeps a user's photo ({@code GET /users/{id}/photos} lists the ones a
 * photo has; {@code /users/{id}/photos/{size}/$value} serves one). Fetching the smallest that covers the largest
 * thumbnail moves and decodes a fraction of the pixels of the full photo (360 × 360 instead of 648 × 648 for 300 px
 * thumbnails: a third of the pixels).
 */
final class GraphPhotoSizes {

    /** Graph's sizes, smallest first. */
    static final List<Integer> SIDES = List.of(48, 64, 96, 120, 240, 360, 432, 504, 648);

    private GraphPhotoSizes() {
    }

    /** The id of the smallest Graph size whose side is at least {@code side}, or the largest when none is. */
    static String covering(int side) {
        int chosen = SIDES.stream().filter(s -> s >= side).findFirst().orElse(SIDES.get(SIDES.size() - 1));
        return chosen + "x" + chosen;
    }
}
