package com.rva.recognition;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * ORT's graph optimisation level decides the speed, and the fastest level depends on the CPU (DESIGN §4 measured
 * {@code ALL_OPT} 3–4× slower than {@code EXTENDED_OPT}; {@code ./rva bench embedder} on another machine
 * measured it ≈ 30 % faster). So the default setting {@link OrtOptimisation#AUTO} calibrates at start: one
 * session per {@link #CALIBRATION_CANDIDATES candidate level}, a few warm inferences of each on a fixed input,
 * taken round the candidates in turn, and the level with the lowest best time is kept (timings and choice are
 * logged; the best run, not the median, because on a busy machine other processes only ever add time); the others are closed. A fixed level skips the calibration. ORT sessions are thread-safe, so one
 * instance serves every caller; create it once per JVM and close it when done.
 */
public final class OnnxEmbedder implements Embedder {

    /** The default optimisation setting: calibrate on this CPU (see the class comment), never ORT's own default. */
    public static final OrtOptimisation OPTIMISATION_LEVEL = OrtOptimisation.AUTO;

    /** Levels {@link OrtOptimisation#AUTO} times, in the order that wins a tie. */
    public static final List<OptLevel> CALIBRATION_CANDIDATES = List.of(OptLevel.EXTENDED_OPT, OptLevel.ALL_OPT,
            OptLevel.BASIC_OPT, OptLevel.NO_OPT);

    /** Untimed inferences per candidate before the timed ones (first runs allocate and tune). */
    static final int CALIBRATION_WARM_UP = 3;

    /** Timed inferences per candidate; the fastest of them counts. */
    static final int CALIBRATION_RUNS = 12;

    /** Intra-op threads per inference unless configured: parallelism comes from concurrent consumers. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private static final Logger LOG = Logger.getLogger(OnnxEmbedder.class.getName());
    private static final int SIZE = 112;
    private static final long[] INPUT_SHAPE = {1, 3, SIZE, SIZE};

    /** What the start-up calibration measured: best ms per inference of each candidate, and the level kept. */
    public record Calibration(Map<OptLevel, Double> bestMs, OptLevel chosen) {
        public Calibration {
            bestMs = Collections.unmodifiableMap(new LinkedHashMap<>(bestMs));
        }

        /** The candidate with the lowest best time; on a tie the earlier one in the map's order. */
        public static Calibration of(Map<OptLevel, double[]> timingsMs) {
            if (timingsMs.isEmpty()) {
                throw new IllegalArgumentException("no candidate optimisation level was timed");
            }
            Map<OptLevel, Double> bests = new LinkedHashMap<>();
            OptLevel best = null;
            for (Map.Entry<OptLevel, double[]> e : timingsMs.entrySet()) {
                double ms = Arrays.stream(e.getValue()).min()
                        .orElseThrow(() -> new IllegalArgumentException(e.getKey() + " has no timings"));
                bests.put(e.getKey(), ms);
                if (best == null || ms < bests.get(best)) {
                    best = e.getKey();
                }
            }
            return new Calibration(bests, best);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            bestMs.forEach((level, ms) -> s.append(s.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2f ms", level, ms)));
            return s.append(" -> ").append(chosen).toString();
        }
    }

    /** An open session with the options it was made with (both must be closed). */
    private record Session(OptLevel level, SessionOptions options, OrtSession session, String inputName) {
        static Session open(OrtEnvironment env, byte[] model, OptLevel level, int intraOpThreads) throws OrtException {
            SessionOptions options = new SessionOptions();
            try {
                options.setOptimizationLevel(level);
                options.setIntraOpNumThreads(intraOpThreads);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(ExecutionMode.SEQUENTIAL);
                OrtSession session = env.createSession(model, options);
                return new Session(level, options, session, session.getInputNames().iterator().next());
            } catch (OrtException | RuntimeException e) {
                options.close();
                throw e;
            }
        }

        float[] run(OrtEnvironment env, float[] input) throws OrtException {
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), INPUT_SHAPE);
                    OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] embedding = new float[out.remaining()];
                out.get(embedding);
                return embedding;
            }
        }

        void close() {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warning(() -> "Closing an ONNX session (" + level + ") failed: " + e.getMessage());
            } finally {
                options.close();
            }
        }
    }

    private final OrtEnvironment env;
    private final Session session;
    private final String modelVersion;
    private final int dimension;
    private final Optional<Calibration> calibration;

    private OnnxEmbedder(OrtEnvironment env, Session session, String modelVersion, Optional<Calibration> calibration)
            throws OrtException {
        this.env = env;
        this.session = session;
        this.modelVersion = modelVersion;
        this.calibration = calibration;
        this.dimension = checkShapes();
    }

    /** The product's recogniser ({@link ModelFile#FR_FEATURE}, sha256-verified) with one intra-op thread. */
    public static OnnxEmbedder create() {
        return create(DEFAULT_INTRA_OP_THREADS);
    }

    /** The product's recogniser ({@link ModelFile#FR_FEATURE}, sha256-verified), optimisation level calibrated. */
    public static OnnxEmbedder create(int intraOpThreads) {
        return create(intraOpThreads, OPTIMISATION_LEVEL);
    }

    /** The product's recogniser ({@link ModelFile#FR_FEATURE}, sha256-verified). */
    public static OnnxEmbedder create(int intraOpThreads, OrtOptimisation optimisation) {
        return create(ModelFile.FR_FEATURE.load(), ModelFile.FR_FEATURE.version(), intraOpThreads, optimisation);
    }

    /** An embedder for the given model bytes, which must take [1,3,112,112] and give [1,N]; level calibrated. */
    public static OnnxEmbedder create(byte[] model, String modelVersion, int intraOpThreads) {
        return create(model, modelVersion, intraOpThreads, OPTIMISATION_LEVEL);
    }

    /** An embedder for the given model bytes, which must take [1,3,112,112] and give [1,N]. */
    public static OnnxEmbedder create(byte[] model, String modelVersion, int intraOpThreads,
            OrtOptimisation optimisation) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, not " + intraOpThreads);
        }
        long start = System.nanoTime();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Session session = null;
        try {
            Optional<Calibration> calibration = Optional.empty();
            if (optimisation.level().isPresent()) {
                session = Session.open(env, model, optimisation.level().get(), intraOpThreads);
            } else {
                Calibration c = calibrate(env, model, modelVersion, intraOpThreads);
                calibration = Optional.of(c);
                session = Session.open(env, model, c.chosen(), intraOpThreads);
                LOG.info(() -> String.format(Locale.ROOT, "Face model %s: calibrated ONNX Runtime's optimisation level"
                        + " on this CPU (best of %d warm inferences each, %d intra-op thread(s)): %s", modelVersion,
                        CALIBRATION_RUNS, intraOpThreads, c));
            }
            OnnxEmbedder embedder = new OnnxEmbedder(env, session, modelVersion, calibration);
            LOG.info(() -> String.format("Loaded face model %s (%d-d, ONNX Runtime, %s%s, %d intra-op thread(s)) in %d ms",
                    modelVersion, embedder.dimension, embedder.optimisationLevel(),
                    optimisation == OrtOptimisation.AUTO ? " calibrated" : " as configured", intraOpThreads,
                    (System.nanoTime() - start) / 1_000_000));
            return embedder;
        } catch (OrtException e) {
            if (session != null) {
                session.close();
            }
            throw new IllegalStateException("ONNX Runtime cannot load face model " + modelVersion + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            throw e;
        }
    }

    /** Times every candidate level on a fixed synthetic face-sized input, round the candidates in turn. */
    private static Calibration calibrate(OrtEnvironment env, byte[] model, String modelVersion, int intraOpThreads)
            throws OrtException {
        float[] input = preprocess(calibrationImage());
        List<Session> sessions = new ArrayList<>();
        try {
            for (OptLevel level : CALIBRATION_CANDIDATES) {
                sessions.add(Session.open(env, model, level, intraOpThreads));
            }
            for (int i = 0; i < CALIBRATION_WARM_UP; i++) {
                for (Session s : sessions) {
                    s.run(env, input);
                }
            }
            Map<OptLevel, double[]> timings = new LinkedHashMap<>();
            sessions.forEach(s -> timings.put(s.level(), new double[CALIBRATION_RUNS]));
            for (int r = 0; r < CALIBRATION_RUNS; r++) {
                for (Session s : sessions) {
                    long t0 = System.nanoTime();
                    s.run(env, input);
                    timings.get(s.level())[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            return Calibration.of(timings);
        } finally {
            sessions.forEach(Session::close);
        }
    }

    /** The fixed calibration input: a smooth colour pattern (the timing does not depend on the pixels). */
    static BufferedImage calibrationImage() {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                image.setRGB(x, y, ((x * 2) << 16) | ((y * 2) << 8) | ((x + y) & 0xFF));
            }
        }
        return image;
    }

    /** The ORT optimisation level of this embedder's session (calibrated or configured). */
    public OptLevel optimisationLevel() {
        return session.level();
    }

    /** The start-up calibration's timings, or empty when the level was configured. */
    public Optional<Calibration> calibration() {
        return calibration;
    }

    private int checkShapes() throws OrtException {
        NodeInfo input = session.session().getInputInfo().get(session.inputName());
        long[] inShape = ((TensorInfo) input.getInfo()).getShape();
        if (!Arrays.equals(inShape, INPUT_SHAPE)) {
            throw new IllegalStateException("Face model " + modelVersion + " takes input " + Arrays.toString(inShape)
                    + ", expected " + Arrays.toString(INPUT_SHAPE));
        }
        NodeInfo output = session.session().getOutputInfo().values().iterator().next();
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
        try {
            return Vectors.normalised(session.run(env, preprocess(crop112)));
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
        session.close();
    }
}
