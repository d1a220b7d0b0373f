package com.rva.application.ingest;

import java.util.logging.Logger;

import com.rva.recognition.Embedder;
import com.rva.recognition.OnnxEmbedder;
import com.rva.recognition.OrtOptimisation;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

/**
 * Holds the one face-model session of this server (loaded and sha256-checked at deployment, so a broken
 * model fails the deployment instead of the first crop). The session is thread-safe: no container locking.
 * {@code -Drva.embedder.intra-op-threads=N} sets ONNX Runtime's threads per inference (default 1; the
 * consumers already run in parallel). {@code -Drva.embedder.optimisation=AUTO|NO_OPT|BASIC_OPT|EXTENDED_OPT|ALL_OPT}
 * sets ONNX Runtime's graph optimisation level (default AUTO: the fastest level on this CPU, measured at start
 * and logged; see {@link OnnxEmbedder}).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class EmbedderProvider {

    public static final String THREADS_PROPERTY = "rva.embedder.intra-op-threads";

    public static final String OPTIMISATION_PROPERTY = "rva.embedder.optimisation";

    private static final Logger LOG = Logger.getLogger(EmbedderProvider.class.getName());

    private Embedder embedder;

    @PostConstruct
    void load() {
        int threads = Integer.getInteger(THREADS_PROPERTY, OnnxEmbedder.DEFAULT_INTRA_OP_THREADS);
        OrtOptimisation optimisation = OrtOptimisation.parse(System.getProperty(OPTIMISATION_PROPERTY,
                OnnxEmbedder.OPTIMISATION_LEVEL.name()));
        embedder = OnnxEmbedder.create(threads, optimisation);
    }

    @PreDestroy
    void close() {
        if (embedder != null) {
            embedder.close();
            LOG.info(() -> "Closed face model " + embedder.modelVersion());
        }
    }

    public Embedder embedder() {
        return embedder;
    }
}
