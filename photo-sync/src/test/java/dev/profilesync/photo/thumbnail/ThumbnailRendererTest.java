package dev.profilesync.photo.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class ThumbnailRendererTest {

    private static final Map<String, Integer> SIZES = new LinkedHashMap<>(Map.of("small", 48, "medium", 72,
            "large", 300));
    private final ThumbnailRenderer renderer = new ThumbnailRenderer(
            new ThumbnailRenderer.Limits(4 * 1024 * 1024, 40_000_000, 4.0));

    @Test
    void rendersEverySizeAsASquareCentredCrop() throws Exception {
        // 600 × 400: red left half, blue right half; the centred 400 × 400 square is half red, half blue
        List<ThumbnailRenderer.Thumbnail> thumbnails = renderer.render(Images.jpeg(Images.halves(600, 400), false),
                SIZES);
        assertThat(thumbnails).extracting(ThumbnailRenderer.Thumbnail::name).containsExactlyInAnyOrder("small", "medium",
                "large");
        for (ThumbnailRenderer.Thumbnail thumbnail : thumbnails) {
            BufferedImage image = decode(thumbnail.jpeg());
            assertThat(image.getWidth()).isEqualTo(thumbnail.side());
            assertThat(image.getHeight()).isEqualTo(thumbnail.side());
            assertThat(red(image.getRGB(2, image.getHeight() / 2))).isGreaterThan(200);
            assertThat(blue(image.getRGB(image.getWidth() - 3, image.getHeight() / 2))).isGreaterThan(200);
        }
    }

    @Test
    void aThumbnailTheSizeOfTheSquareKeepsItsColours() throws Exception {
        // 450 × 300: the centred square is 300 × 300 already, so the large thumbnail is only copied into the encoder's
        // byte layout; the others are resized into it
        for (ThumbnailRenderer.Thumbnail thumbnail : renderer.render(Images.jpeg(Images.halves(450, 300), false),
                SIZES)) {
            BufferedImage image = decode(thumbnail.jpeg());
            assertThat(image.getWidth()).isEqualTo(thumbnail.side());
            int left = image.getRGB(2, image.getHeight() / 2);
            int right = image.getRGB(image.getWidth() - 3, image.getHeight() / 2);
            assertThat(red(left)).as(thumbnail.name()).isGreaterThan(200);
            assertThat(blue(left)).as(thumbnail.name()).isLessThan(60);
            assertThat(blue(right)).as(thumbnail.name()).isGreaterThan(200);
            assertThat(red(right)).as(thumbnail.name()).isLessThan(60);
        }
    }

    @Test
    void honoursExifOrientation() throws Exception {
        // stored sideways with orientation 6 (rotate 90° clockwise): red left becomes red top
        byte[] rotated = Images.withExifOrientation(Images.jpeg(Images.halves(400, 400), false), 6);
        BufferedImage large = decode(renderer.render(rotated, Map.of("large", 300)).get(0).jpeg());
        assertThat(red(large.getRGB(150, 5))).isGreaterThan(200);
        assertThat(blue(large.getRGB(150, 294))).isGreaterThan(200);
    }

    @Test
    void readsProgressiveJpegPngWithAlphaAndTheFirstFrameOfAGif() throws Exception {
        assertThat(renderer.render(Images.jpeg(Images.halves(648, 648), true), SIZES)).hasSize(3);
        BufferedImage transparent = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        BufferedImage onWhite = decode(renderer.render(Images.png(transparent), Map.of("small", 48)).get(0).jpeg());
        assertThat(red(onWhite.getRGB(24, 24))).isGreaterThan(240);
        assertThat(renderer.render(Images.gif(Images.halves(120, 120)), SIZES)).hasSize(3);
    }

    @Test
    void decodesAFourChannelCmykJpegThatTheJdkReaderRefuses() throws Exception {
        // a four-channel JPEG: the JDK's own reader throws "Unsupported Image Type"; TwelveMonkeys decodes it
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 64, 64, 4, null);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, new int[] {0, 255, 255, 255});
            }
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.MemoryCacheImageOutputStream out =
                new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(raster, null, null), writer.getDefaultWriteParam());
        }
        assertThat(renderer.render(bytes.toByteArray(), SIZES)).hasSize(3)
                .allSatisfy(thumbnail -> assertThat(decode(thumbnail.jpeg()).getWidth()).isEqualTo(thumbnail.side()));
    }

    @Test
    void scalesDownSmoothlyWithoutAliasing() throws Exception {
        // a 1-pixel checkerboard averages to mid grey when scaled well; nearest-neighbour keeps black or white
        BufferedImage board = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1024; y++) {
            for (int x = 0; x < 1024; x++) {
                board.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0x000000);
            }
        }
        BufferedImage small = decode(renderer.render(Images.png(board), Map.of("small", 48)).get(0).jpeg());
        int grey = red(small.getRGB(24, 24));
        assertThat(grey).isBetween(90, 165);
    }

    @Test
    void refusesBadInputWithAReason() throws Exception {
        byte[] good = Images.jpeg(Images.halves(648, 648), false);
        assertReason(new byte[0], "empty");
        assertReason("this is not an image".getBytes(), "not-an-image");
        assertReason(Arrays.copyOf(good, good.length / 2), "corrupt");
        assertReason(Images.pngDeclaring(50_000, 50_000), "too-many-pixels");
        assertReason(new byte[4 * 1024 * 1024 + 1], "too-large");
        assertReason(Images.png(new BufferedImage(2000, 10, BufferedImage.TYPE_INT_RGB)), "aspect-ratio");
    }

    private void assertReason(byte[] bytes, String reason) {
        assertThatThrownBy(() -> renderer.render(bytes, SIZES)).isInstanceOfSatisfying(PhotoRejectedException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    private static int red(int rgb) {
        return (rgb >> 16) & 0xFF;
    }

    private static int blue(int rgb) {
        return rgb & 0xFF;
    }
}
