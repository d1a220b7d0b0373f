package com.rva.recognition;

import java.awt.image.BufferedImage;

/**
 * Turns an aligned 112×112 face crop into an embedding. Implementations are thread-safe: one instance
 * (one model session) serves the whole JVM.
 */
public interface Embedder extends AutoCloseable {

    /**
     * @param crop112 the aligned face crop, exactly 112×112 pixels
     * @return the L2-normalised embedding ({@link #dimension()} floats), so cosine similarity is a dot product
     * @throws IllegalArgumentException when the crop is not 112×112
     */
    float[] embed(BufferedImage crop112);

    /** The model version stamped on every template this embedder produces. */
    String modelVersion();

    /** Length of the embeddings. */
    int dimension();

    @Override
    void close();
}
