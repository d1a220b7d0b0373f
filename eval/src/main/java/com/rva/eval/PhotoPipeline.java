package com.rva.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Optional;

import com.rva.collector.vision.FaceCrop;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.FrameDecodeException;
import com.rva.collector.vision.QualityGate;
import com.rva.recognition.CropDecoder;
import com.rva.recognition.Embedder;
import com.rva.recognition.InvalidCropException;

/**
 * One photo through what a store collector and the server do with a frame: the collector's
 * {@link FaceCropper} (YuNet, alignment, {@link QualityGate}, JPEG) and the server's {@link CropDecoder} and
 * {@link Embedder}. A labelled photo shows its person as the largest face; other faces are bystanders.
 */
public final class PhotoPipeline {

    /** A photo turned into an embedding, or the reason it was skipped. */
    public record Outcome(LabelledFolder.Photo photo, float[] embedding, float quality, String skipped) {
        public boolean isSkipped() {
            return skipped != null;
        }
    }

    private final FaceCropper cropper;
    private final Embedder embedder;
    private final CropDecoder decoder = new CropDecoder();

    public PhotoPipeline(FaceCropper cropper, Embedder embedder) {
        this.cropper = cropper;
        this.embedder = embedder;
    }

    public Outcome run(LabelledFolder.Photo photo) {
        FaceCropper.Result found;
        try {
            found = cropper.analyse(Files.readAllBytes(photo.file()));
        } catch (IOException e) {
            return skipped(photo, "unreadable file (" + e.getMessage() + ")");
        } catch (FrameDecodeException e) {
            return skipped(photo, "not a decodable image");
        }
        Optional<FaceCrop> largest = found.crops().stream()
                .max(Comparator.comparingDouble(c -> c.box().width() * c.box().height()));
        if (largest.isEmpty()) {
            return skipped(photo, found.rejections().isEmpty() ? "no face found"
                    : "quality gate: " + found.rejections().stream()
                            .max(Comparator.comparingDouble(r -> r.box().width() * r.box().height())).get()
                            .reason().name().toLowerCase().replace('_', ' '));
        }
        try {
            float[] embedding = embedder.embed(decoder.decode(largest.get().jpeg()));
            return new Outcome(photo, embedding, largest.get().quality(), null);
        } catch (InvalidCropException e) {
            // the collector's own crop does not decode on the server: a bug, not the photo's fault
            throw new IllegalStateException(photo.label() + ": the collector's crop is refused by the server: "
                    + e.getMessage(), e);
        }
    }

    private static Outcome skipped(LabelledFolder.Photo photo, String why) {
        return new Outcome(photo, null, 0f, why);
    }
}
