package dev.profilesync.simulator;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Renders a user's photo: a 648×648 JPEG in a colour of the user and version, with their initials. */
final class PhotoRenderer {

    static final int SIZE = 648;

    private PhotoRenderer() {
    }

    static byte[] render(String displayName, String id, int version) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            long h = SyntheticPeople.mix(id.hashCode() * 31L + version);
            g.setColor(new Color((int) (h & 0xFFFFFF)));
            g.fillRect(0, 0, SIZE, SIZE);
            g.setColor(new Color((int) ((h >>> 24) & 0xFFFFFF)));
            g.fillOval(SIZE / 6, SIZE / 6, SIZE * 2 / 3, SIZE * 2 / 3);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 180));
            String initials = initials(displayName);
            int width = g.getFontMetrics().stringWidth(initials);
            g.drawString(initials, (SIZE - width) / 2, SIZE / 2 + 60);
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

    private static String initials(String displayName) {
        StringBuilder initials = new StringBuilder();
        for (String part : String.valueOf(displayName).split(" ")) {
            if (!part.isEmpty() && initials.length() < 2) {
                initials.append(Character.toUpperCase(part.charAt(0)));
            }
        }
        return initials.toString();
    }
}
