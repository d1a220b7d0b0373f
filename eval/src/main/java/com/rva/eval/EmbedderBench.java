package com.rva.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

import com.rva.collector.vision.FaceCrop;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.FrameDecodeException;
import com.rva.collector.vision.OpenCvNatives;
import com.rva.collector.vision.QualityGate;
import com.rva.models.ModelFile;
import com.rva.recognition.CropDecoder;
import com.rva.recognition.InvalidCropException;
import com.rva.recognition.OnnxEmbedder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * {@code ./rva bench embedder}: how fast the face model runs on each backend the product could use, over the
 * same real aligned crops (the collector's detection, quality gate and alignment over a labelled folder, then
 * the server's {@link CropDecoder}). Backends: ONNX Runtime at every graph optimisation level and OpenCV DNN,
 * each on 1 and 2 threads; and the product default: the real {@link OnnxEmbedder} as the server creates it
 * ({@link OnnxEmbedder#OPTIMISATION_LEVEL} = AUTO, so it calibrates its level at start on this CPU,
 * {@link OnnxEmbedder#DEFAULT_INTRA_OP_THREADS} thread), printed as {@code product-auto}. After one warm-up
 * pass, the timed passes go round the backends in turn (so a change of machine load hits them all alike);
 * a backend's figure is the median over passes of the mean time per face, preprocessing included.
 * <p>
 * Prints one {@code BACKEND} line per backend × threads (ms per face, cosine to the product default's
 * embeddings: min and mean over the crops), and as its last line {@code BENCH embedder default=… default_ms=…
 * default_level=… fastest=… fastest_ms=… speed_ratio=… min_cosine_opencv=…}, where {@code speed_ratio} = fastest
 * of the other backends / product default (≥ 1.0: the default is as fast as the fastest; a little above 1.0 is
 * timing noise). A backend that cannot load the model is printed as unavailable with the
 * reason, and left out of the ranking.
 */
public final class EmbedderBench {

    static final Path DEFAULT_FACES = Path.of("..", "shared", "faces");
    static final int DEFAULT_CROPS = 200;
    static final int DEFAULT_PASSES = 5;
    private static final String USAGE = "usage: rva bench embedder [--faces DIR] [--crops N] [--passes N]";
    private static final int SIZE = CropDecoder.SIZE;

    /** One way to run the face model. */
    private interface Backend extends AutoCloseable {
        String name();

        int threads();

        float[] embed(BufferedImage crop);

        /** Called before each pass: OpenCV's thread count is process-wide. */
        default void prepare() {
        }

        @Override
        void close();

        default String label() {
            return name() + "@" + threads() + "t";
        }
    }

    private EmbedderBench() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("rva bench embedder: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("rva bench embedder failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Path faces = DEFAULT_FACES;
        int crops = DEFAULT_CROPS;
        int passes = DEFAULT_PASSES;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length && List.of("--faces", "--crops", "--passes").contains(a)) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("unknown or incomplete option '" + a + "' (" + USAGE + ")");
            }
            switch (name) {
                case "--faces" -> faces = Path.of(value);
                case "--crops" -> crops = positive("--crops", value);
                case "--passes" -> passes = positive("--passes", value);
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (" + USAGE + ")");
            }
        }
        if (!Files.isDirectory(faces)) {
            throw new IllegalArgumentException("the labelled faces folder " + faces.toAbsolutePath().normalize()
                    + " is missing (give one with --faces DIR, laid out DIR/<identity>/<photo>)");
        }

        OpenCvNatives.load();
        long start = System.nanoTime();
        List<BufferedImage> images = alignedCrops(faces, crops);
        out.printf(Locale.ROOT, "rva bench embedder: %d aligned crops from %s%s (collector detect + gate + align, %d ms);"
                + " model %s; %d timed pass(es) after 1 warm-up pass; %d CPU(s), load average %.2f%n", images.size(),
                faces, images.size() < crops ? " (all it gives; " + crops + " asked)" : "",
                (System.nanoTime() - start) / 1_000_000, ModelFile.FR_FEATURE.version(), passes,
                Runtime.getRuntime().availableProcessors(), loadAverage());

        byte[] model = ModelFile.FR_FEATURE.load();
        List<Backend> backends = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        Backend productDefault;
        try {
            OnnxEmbedder product = OnnxEmbedder.create(OnnxEmbedder.DEFAULT_INTRA_OP_THREADS);
            productDefault = product(product);
            backends.add(productDefault);
            out.printf(Locale.ROOT, "product default: ONNX Runtime, setting %s, %d intra-op thread(s); its start-up"
                    + " calibration: %s%n", OnnxEmbedder.OPTIMISATION_LEVEL, OnnxEmbedder.DEFAULT_INTRA_OP_THREADS,
                    product.calibration().map(Object::toString).orElse("none (level configured)"));
            for (int threads : new int[] {1, 2}) {
                for (OptLevel level : new OptLevel[] {OptLevel.NO_OPT, OptLevel.BASIC_OPT, OptLevel.EXTENDED_OPT,
                        OptLevel.ALL_OPT}) {
                    backends.add(new OrtBackend(model, level, threads));
                }
            }
            for (int threads : new int[] {1, 2}) {
                try {
                    Backend b = new OpenCvBackend(model, threads);
                    b.prepare();
                    b.embed(images.get(0));
                    backends.add(b);
                } catch (RuntimeException e) {
                    unavailable.add(String.format(Locale.ROOT, "BACKEND name=opencv-dnn threads=%d unavailable: %s",
                            threads, e.getMessage() == null ? e.toString() : e.getMessage().strip()));
                }
            }

            // warm-up pass, which also gives each backend's embeddings (all passes run the same crops)
            float[][][] embeddings = new float[backends.size()][][];
            for (int b = 0; b < backends.size(); b++) {
                Backend backend = backends.get(b);
                backend.prepare();
                embeddings[b] = new float[images.size()][];
                for (int c = 0; c < images.size(); c++) {
                    embeddings[b][c] = backend.embed(images.get(c));
                }
            }
            double[][] msPerFace = new double[backends.size()][passes];
            for (int p = 0; p < passes; p++) {
                for (int b = 0; b < backends.size(); b++) {
                    Backend backend = backends.get(b);
                    backend.prepare();
                    long t0 = System.nanoTime();
                    for (BufferedImage image : images) {
                        backend.embed(image);
                    }
                    msPerFace[b][p] = (System.nanoTime() - t0) / 1e6 / images.size();
                }
            }

            float[][] reference = embeddings[backends.indexOf(productDefault)];
            out.printf(Locale.ROOT, "cosines are to the product default's embeddings of the same crops%n");
            double[] median = new double[backends.size()];
            double minCosineOpenCv = Double.NaN;
            int fastest = -1;
            for (int b = 0; b < backends.size(); b++) {
                Backend backend = backends.get(b);
                median[b] = median(msPerFace[b]);
                double min = 1;
                double sum = 0;
                for (int c = 0; c < images.size(); c++) {
                    double cos = cosine(embeddings[b][c], reference[c]);
                    min = Math.min(min, cos);
                    sum += cos;
                }
                if (backend instanceof OpenCvBackend) {
                    minCosineOpenCv = Double.isNaN(minCosineOpenCv) ? min : Math.min(minCosineOpenCv, min);
                }
                if (backend != productDefault && (fastest < 0 || median[b] < median[fastest])) {
                    fastest = b;
                }
                out.printf(Locale.ROOT, "BACKEND name=%s threads=%d ms_per_face=%.3f min_ms=%.3f max_ms=%.3f"
                        + " cos_min=%.6f cos_mean=%.6f%s%n", backend.name(), backend.threads(), median[b],
                        Arrays.stream(msPerFace[b]).min().getAsDouble(), Arrays.stream(msPerFace[b]).max().getAsDouble(),
                        min, sum / images.size(), backend == productDefault ? " (product default)" : "");
            }
            unavailable.forEach(out::println);
            int d = backends.indexOf(productDefault);
            out.printf(Locale.ROOT, "load average at the end: %.2f%n", loadAverage());
            out.printf(Locale.ROOT, "BENCH embedder default=%s default_level=%s default_ms=%.3f fastest=%s fastest_ms=%.3f"
                    + " speed_ratio=%.3f min_cosine_opencv=%s crops=%d passes=%d%n", productDefault.label(),
                    ortName(((ProductBackend) productDefault).embedder().optimisationLevel()), median[d],
                    backends.get(fastest).label(), median[fastest], median[fastest] / median[d],
                    Double.isNaN(minCosineOpenCv) ? "unavailable" : String.format(Locale.ROOT, "%.6f", minCosineOpenCv),
                    images.size(), passes);
            return 0;
        } finally {
            backends.forEach(Backend::close);
        }
    }

    /** The first {@code n} faces of the folder (largest face per photo) as the server decodes them. */
    static List<BufferedImage> alignedCrops(Path faces, int n) throws IOException {
        CropDecoder decoder = new CropDecoder();
        List<BufferedImage> images = new ArrayList<>();
        for (FaceCrop crop : collectorCrops(faces, n)) {
            try {
                images.add(decoder.decode(crop.jpeg()));
            } catch (InvalidCropException e) {
                throw new IllegalStateException("a collector crop is refused by the server: " + e.getMessage(), e);
            }
        }
        return images;
    }

    /**
     * The first {@code n} faces of the folder (largest face per photo) as the collector sends them: its
     * detection, quality gate and alignment, JPEG-encoded.
     */
    static List<FaceCrop> collectorCrops(Path faces, int n) throws IOException {
        FaceCropper cropper = new FaceCropper(QualityGate.defaults());
        List<FaceCrop> crops = new ArrayList<>();
        for (LabelledFolder.Photo photo : LabelledFolder.read(faces)) {
            if (crops.size() == n) {
                break;
            }
            Optional<FaceCrop> largest;
            try {
                largest = cropper.analyse(Files.readAllBytes(photo.file())).crops().stream()
                        .max(Comparator.comparingDouble(c -> c.box().width() * c.box().height()));
            } catch (FrameDecodeException | IOException e) {
                continue; // the evaluation reports such photos; here they are simply not crops
            }
            largest.ifPresent(crops::add);
        }
        if (crops.isEmpty()) {
            throw new IllegalArgumentException(faces + ": no photo gave a face crop that passes the quality gate");
        }
        return crops;
    }

    private static Backend product(OnnxEmbedder embedder) {
        return new ProductBackend(embedder);
    }

    /** The product's own embedder, created as the server creates it. */
    private record ProductBackend(OnnxEmbedder embedder) implements Backend {
        @Override
        public String name() {
            return "product-auto";
        }

        @Override
        public int threads() {
            return OnnxEmbedder.DEFAULT_INTRA_OP_THREADS;
        }

        @Override
        public float[] embed(BufferedImage crop) {
            return embedder.embed(crop);
        }

        @Override
        public void close() {
            embedder.close();
        }
    }

    static String ortName(OptLevel level) {
        return switch (level) {
            case NO_OPT -> "ort-no-opt";
            case BASIC_OPT -> "ort-basic";
            case EXTENDED_OPT -> "ort-extended";
            case ALL_OPT -> "ort-all";
            default -> "ort-" + level.name().toLowerCase(Locale.ROOT);
        };
    }

    /** ONNX Runtime at a given optimisation level, otherwise set up as {@link OnnxEmbedder} is. */
    private static final class OrtBackend implements Backend {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final SessionOptions options = new SessionOptions();
        private final OrtSession session;
        private final String input;
        private final OptLevel level;
        private final int threads;

        OrtBackend(byte[] model, OptLevel level, int threads) throws OrtException {
            this.level = level;
            this.threads = threads;
            try {
                options.setOptimizationLevel(level);
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(ExecutionMode.SEQUENTIAL);
                session = env.createSession(model, options);
            } catch (OrtException | RuntimeException e) {
                options.close();
                throw e;
            }
            input = session.getInputNames().iterator().next();
        }

        @Override
        public String name() {
            return ortName(level);
        }

        @Override
        public int threads() {
            return threads;
        }

        @Override
        public float[] embed(BufferedImage crop) {
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(OnnxEmbedder.preprocess(crop)),
                    new long[] {1, 3, SIZE, SIZE});
                    OrtSession.Result result = session.run(Map.of(input, tensor))) {
                FloatBuffer fb = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] embedding = new float[fb.remaining()];
                fb.get(embedding);
                return embedding;
            } catch (OrtException e) {
                throw new IllegalStateException(label() + " failed on a crop: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                // closing at the end of the bench: nothing to save
            } finally {
                options.close();
            }
        }
    }

    /** OpenCV DNN ({@code readNetFromONNX}) on the same input tensor; its thread count is process-wide. */
    private static final class OpenCvBackend implements Backend {
        private final Net net;
        private final int threads;

        OpenCvBackend(byte[] model, int threads) {
            this.net = Dnn.readNetFromONNX(new MatOfByte(model));
            this.threads = threads;
            if (net.empty()) {
                throw new IllegalStateException("OpenCV DNN read an empty network from " + ModelFile.FR_FEATURE.fileName());
            }
        }

        @Override
        public String name() {
            return "opencv-dnn";
        }

        @Override
        public int threads() {
            return threads;
        }

        @Override
        public void prepare() {
            Core.setNumThreads(threads);
        }

        @Override
        public float[] embed(BufferedImage crop) {
            float[] chw = OnnxEmbedder.preprocess(crop);
            Mat flat = new Mat(1, chw.length, CvType.CV_32F);
            flat.put(0, 0, chw);
            Mat blob = flat.reshape(1, new int[] {1, 3, SIZE, SIZE});
            net.setInput(blob);
            Mat result = net.forward();
            Mat row = result.reshape(1, 1);
            float[] embedding = new float[(int) row.total()];
            row.get(0, 0, embedding);
            flat.release();
            result.release();
            return embedding;
        }

        @Override
        public void close() {
            // the Net is freed by the garbage collector
        }
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("embeddings of different length: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number of at least 1, not '" + value + "'");
    }
}
