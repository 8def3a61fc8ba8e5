package dev.profilesync.simulator;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;

/**
 * The tenant's generated photos, as Graph keeps them: a 648 × 648 JPEG and the same photo in each of Graph's smaller
 * sizes. Graph serves photos it stored; it does not draw them per request, so neither does the simulator: a user's
 * photo is one of {@value #POOL} designs (a colour and a disc), chosen by the user and the photo's version so that
 * every new version looks different from the last, drawn once per size and then served from memory. A bench that
 * drains 50,000 photos measures the photo pipeline, not the simulator's drawing.
 */
final class PhotoRenderer {

    static final int SIZE = 648;

    /** Graph's photo sizes, smallest first. */
    static final List<Integer> SIDES = List.of(48, 64, 96, 120, 240, 360, 432, 504, 648);

    static final int POOL = 64;

    private static final Map<Integer, byte[]> RENDERED = new ConcurrentHashMap<>();

    private PhotoRenderer() {
    }

    /** The photo of {@code id} at {@code version}, {@code side} × {@code side} (one of {@link #SIDES}). */
    static byte[] render(String id, int version, int side) {
        if (!SIDES.contains(side)) {
            throw new IllegalArgumentException("not a Graph photo size: " + side);
        }
        int design = Math.floorMod((int) SyntheticPeople.mix(id.hashCode()) + version, POOL);
        return RENDERED.computeIfAbsent(design * 1000 + side, key -> draw(design, side));
    }

    private static byte[] draw(int design, int side) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            long h = SyntheticPeople.mix(design * 7919L + 17);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color((int) (h & 0xFFFFFF)));
            g.fillRect(0, 0, side, side);
            g.setColor(new Color((int) ((h >>> 24) & 0xFFFFFF)));
            g.fillOval(side / 6, side / 6, side * 2 / 3, side * 2 / 3);
            g.setColor(Color.WHITE);
            g.fillOval(side * 5 / 12, side * 5 / 12, side / 6, side / 6);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
