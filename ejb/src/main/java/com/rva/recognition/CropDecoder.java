package com.rva.recognition;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import com.rva.recognition.InvalidCropException.Problem;

/**
 * Decodes the JPEG body of a crop message with {@code javax.imageio} (the server has no OpenCV) and checks
 * that it is the aligned 112×112 crop the contract promises. A truncated JPEG that the decoder would
 * silently pad with grey is refused too: the decoder's warnings count as errors.
 * Thread-safe (a fresh reader per call).
 */
public final class CropDecoder {

    /** Side of the aligned crop in pixels. */
    public static final int SIZE = 112;

    private static final int SOI_1 = 0xFF;
    private static final int SOI_2 = 0xD8;

    /**
     * @throws InvalidCropException {@link Problem#UNDECODABLE} for empty, non-JPEG, truncated or corrupt
     *         data; {@link Problem#WRONG_SIZE} for a JPEG that is not 112×112
     */
    public BufferedImage decode(byte[] jpeg) throws InvalidCropException {
        if (jpeg == null || jpeg.length == 0) {
            throw new InvalidCropException(Problem.UNDECODABLE, "the crop body is empty");
        }
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != SOI_1 || (jpeg[1] & 0xFF) != SOI_2) {
            throw new InvalidCropException(Problem.UNDECODABLE, "the crop body is not a JPEG (it starts with "
                    + HexFormat.ofDelimiter(" ").formatHex(jpeg, 0, Math.min(jpeg.length, 4)) + ", "
                    + jpeg.length + " bytes)");
        }
        ImageReader reader = jpegReader();
        List<String> warnings = new ArrayList<>();
        // in memory: ImageIO's default stream would cache to a temp file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener(collect(warnings));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width != SIZE || height != SIZE) {
                throw new InvalidCropException(Problem.WRONG_SIZE, "the crop is " + width + "x" + height
                        + " pixels; an aligned face crop must be " + SIZE + "x" + SIZE);
            }
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new InvalidCropException(Problem.UNDECODABLE,
                        "the JPEG is truncated or corrupt: " + String.join("; ", warnings));
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports malformed streams as IIOException and, for some, as runtime exceptions
            throw new InvalidCropException(Problem.UNDECODABLE, "the crop body does not decode as a JPEG ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader jpegReader() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw new IllegalStateException("This JVM has no javax.imageio JPEG reader");
        }
        return readers.next();
    }

    private static IIOReadWarningListener collect(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }
}
