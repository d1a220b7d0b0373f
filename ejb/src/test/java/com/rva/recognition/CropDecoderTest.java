package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.rva.recognition.InvalidCropException.Problem;

class CropDecoderTest {

    private final CropDecoder decoder = new CropDecoder();

    @Test
    void decodesAn112By112Jpeg() throws Exception {
        BufferedImage image = decoder.decode(encode(picture(112, 112), "jpg"));
        assertEquals(112, image.getWidth());
        assertEquals(112, image.getHeight());
        int rgb = image.getRGB(56, 20);
        assertTrue(Math.abs(((rgb >> 16) & 0xFF) - 200) < 12, "red survives JPEG: " + Integer.toHexString(rgb));
    }

    @Test
    void refusesAnEmptyBody() {
        assertProblem(Problem.UNDECODABLE, "empty", new byte[0]);
    }

    @Test
    void refusesOtherFormats() throws IOException {
        assertProblem(Problem.UNDECODABLE, "not a JPEG (it starts with 89 50 4e 47", encode(picture(112, 112), "png"));
    }

    @Test
    void refusesGarbageAfterAJpegMarker() {
        byte[] junk = new byte[2000];
        Arrays.fill(junk, (byte) 0x5A);
        junk[0] = (byte) 0xFF;
        junk[1] = (byte) 0xD8;
        assertProblem(Problem.UNDECODABLE, "", junk);
    }

    @Test
    void refusesATruncatedJpegInsteadOfPaddingItWithGrey() throws IOException {
        byte[] jpeg = encode(picture(112, 112), "jpg");
        assertProblem(Problem.UNDECODABLE, "", Arrays.copyOf(jpeg, jpeg.length / 2));
    }

    @Test
    void refusesOtherSizesNamingThem() throws IOException {
        assertProblem(Problem.WRONG_SIZE, "100x120 pixels", encode(picture(100, 120), "jpg"));
    }

    private void assertProblem(Problem problem, String messagePart, byte[] body) {
        InvalidCropException e = assertThrows(InvalidCropException.class, () -> decoder.decode(body));
        assertEquals(problem, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, y < height / 2 ? 0xC83232 : (x * 2) << 8 | y);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }
}
