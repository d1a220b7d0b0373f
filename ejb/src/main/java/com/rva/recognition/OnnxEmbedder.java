package com.rva.recognition;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Logger;

import com.rva.models.ModelFile;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;

/**
 * {@link Embedder} running {@code fr_feature.onnx} on ONNX Runtime. Input: RGB, NCHW, {@code (x - 127) / 128},
 * batch 1 (the model's batch dimension is fixed); output: the 512-d embedding, L2-normalised here.
 * <p>
 * The session uses {@link OptLevel#EXTENDED_OPT}: ORT's default {@code ALL_OPT} adds a layout optimisation
 * that makes this model 3–4× slower on the CPUs measured (DESIGN §4). ORT sessions are thread-safe, so
 * one instance serves every caller; create it once per JVM and close it when done.
 */
public final class OnnxEmbedder implements Embedder {

    /** ORT graph optimisation level of every session: not ORT's default {@code ALL_OPT} (see the class comment). */
    public static final OptLevel OPTIMISATION_LEVEL = OptLevel.EXTENDED_OPT;

    /** Intra-op threads per inference unless configured: parallelism comes from concurrent consumers. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private static final Logger LOG = Logger.getLogger(OnnxEmbedder.class.getName());
    private static final int SIZE = 112;
    private static final long[] INPUT_SHAPE = {1, 3, SIZE, SIZE};

    private final OrtEnvironment env;
    private final SessionOptions options;
    private final OrtSession session;
    private final String inputName;
    private final String modelVersion;
    private final int dimension;

    private OnnxEmbedder(byte[] model, String modelVersion, int intraOpThreads) throws OrtException {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, not " + intraOpThreads);
        }
        this.env = OrtEnvironment.getEnvironment();
        this.modelVersion = modelVersion;
        this.options = new SessionOptions();
        try {
            options.setOptimizationLevel(OPTIMISATION_LEVEL);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            this.session = env.createSession(model, options);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
        this.inputName = session.getInputNames().iterator().next();
        this.dimension = checkShapes();
    }

    /** The product's recogniser ({@link ModelFile#FR_FEATURE}, sha256-verified) with one intra-op thread. */
    public static OnnxEmbedder create() {
        return create(DEFAULT_INTRA_OP_THREADS);
    }

    /** The product's recogniser ({@link ModelFile#FR_FEATURE}, sha256-verified). */
    public static OnnxEmbedder create(int intraOpThreads) {
        return create(ModelFile.FR_FEATURE.load(), ModelFile.FR_FEATURE.version(), intraOpThreads);
    }

    /** An embedder for the given model bytes, which must take [1,3,112,112] and give [1,N]. */
    public static OnnxEmbedder create(byte[] model, String modelVersion, int intraOpThreads) {
        long start = System.nanoTime();
        try {
            OnnxEmbedder embedder = new OnnxEmbedder(model, modelVersion, intraOpThreads);
            LOG.info(() -> String.format("Loaded face model %s (%d-d, ONNX Runtime, EXTENDED_OPT, %d intra-op thread(s))"
                    + " in %d ms", modelVersion, embedder.dimension, intraOpThreads,
                    (System.nanoTime() - start) / 1_000_000));
            return embedder;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load face model " + modelVersion + ": " + e.getMessage(), e);
        }
    }

    private int checkShapes() throws OrtException {
        NodeInfo input = session.getInputInfo().get(inputName);
        long[] inShape = ((TensorInfo) input.getInfo()).getShape();
        if (!Arrays.equals(inShape, INPUT_SHAPE)) {
            throw new IllegalStateException("Face model " + modelVersion + " takes input " + Arrays.toString(inShape)
                    + ", expected " + Arrays.toString(INPUT_SHAPE));
        }
        NodeInfo output = session.getOutputInfo().values().iterator().next();
        long[] outShape = ((TensorInfo) output.getInfo()).getShape();
        long dim = outShape[outShape.length - 1];
        if (outShape.length != 2 || dim < 1) {
            throw new IllegalStateException("Face model " + modelVersion + " gives output " + Arrays.toString(outShape)
                    + ", expected [1, N]");
        }
        return (int) dim;
    }

    @Override
    public float[] embed(BufferedImage crop112) {
        float[] input = preprocess(crop112);
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), INPUT_SHAPE);
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] embedding = new float[out.remaining()];
            out.get(embedding);
            return Vectors.normalised(embedding);
        } catch (OrtException e) {
            throw new IllegalStateException("Face model " + modelVersion + " failed on a crop: " + e.getMessage(), e);
        }
    }

    /**
     * RGB planes (NCHW) scaled as {@code (x - 127) / 128}, as the model was trained. Public for
     * {@code ./rva bench embedder}, which feeds the same input to every backend it compares.
     */
    public static float[] preprocess(BufferedImage crop) {
        if (crop.getWidth() != SIZE || crop.getHeight() != SIZE) {
            throw new IllegalArgumentException("The face model needs a " + SIZE + "x" + SIZE + " crop, not "
                    + crop.getWidth() + "x" + crop.getHeight());
        }
        int plane = SIZE * SIZE;
        int[] argb = crop.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE);
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            chw[i] = (((p >> 16) & 0xFF) - 127f) / 128f;
            chw[plane + i] = (((p >> 8) & 0xFF) - 127f) / 128f;
            chw[2 * plane + i] = ((p & 0xFF) - 127f) / 128f;
        }
        return chw;
    }

    @Override
    public String modelVersion() {
        return modelVersion;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warning(() -> "Closing the ONNX session of " + modelVersion + " failed: " + e.getMessage());
        } finally {
            options.close();
        }
    }
}
