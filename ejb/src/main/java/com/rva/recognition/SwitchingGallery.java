package com.rva.recognition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

/**
 * The product's gallery: the exact scan ({@link ExactScanGallery}) for small galleries, the ANN index
 * ({@link HnswGallery}) from {@code annFrom} templates on. The choice is made when the gallery is loaded, and
 * again when enrolments take an exact gallery to the threshold. The ANN index holds only int8 rows, so a
 * gallery that shrinks below the threshold (purges) stays ANN until the next load, which picks the kind from
 * the database's count again (the database is the source of truth).
 */
public final class SwitchingGallery implements Gallery {

    private static final Logger LOG = Logger.getLogger(SwitchingGallery.class.getName());

    /** Default of the {@code gallery.ann-from} setting. */
    public static final int DEFAULT_ANN_FROM = 50_000;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final int annFrom;
    private final HnswGallery.Settings annSettings;
    private Gallery current;
    private boolean loading;
    private final List<ExactScanGallery.Row> bulk = new ArrayList<>();
    private HnswGallery loadingInto;

    public SwitchingGallery(int annFrom) {
        this(annFrom, HnswGallery.Settings.DEFAULT);
    }

    public SwitchingGallery(int annFrom, HnswGallery.Settings annSettings) {
        if (annFrom < 1) {
            throw new IllegalArgumentException("annFrom must be positive: " + annFrom);
        }
        this.annFrom = annFrom;
        this.annSettings = Objects.requireNonNull(annSettings, "annSettings");
        this.current = new ExactScanGallery();
    }

    /** Starts a bulk load: rows given to {@link #addLoaded} are held until {@link #finishLoad()} picks the kind. */
    public void startLoad() {
        lock.writeLock().lock();
        try {
            loading = true;
            bulk.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * A row of the bulk load (see {@link #startLoad()}). Rows are held as floats until they reach
     * {@code annFrom}; from then on they go straight into the ANN index as int8 rows, so loading a large gallery
     * never holds all its floats.
     */
    public void addLoaded(long customerId, Long templateId, float[] vector, String modelVersion) {
        lock.writeLock().lock();
        try {
            if (!loading) {
                throw new IllegalStateException("addLoaded outside startLoad/finishLoad");
            }
            if (loadingInto == null && current instanceof HnswGallery ann) {
                loadingInto = ann;
            }
            if (loadingInto == null && current.size() + bulk.size() + 1 >= annFrom) {
                loadingInto = new HnswGallery(annSettings, Vectors.kernel());
                if (current instanceof ExactScanGallery exact) {
                    exact.rows().forEach(r -> loadingInto.addForBulk(r.customerId(), r.templateId(), r.vector(),
                            r.modelVersion()));
                }
                bulk.forEach(r -> loadingInto.addForBulk(r.customerId(), r.templateId(), r.vector(), r.modelVersion()));
                bulk.clear();
            }
            if (loadingInto != null) {
                loadingInto.addForBulk(customerId, templateId, vector, modelVersion);
            } else {
                bulk.add(new ExactScanGallery.Row(customerId, templateId, vector.clone(), modelVersion));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Builds the gallery the loaded rows call for (added to what it holds already); returns its kind. */
    public String finishLoad() {
        lock.writeLock().lock();
        try {
            loading = false;
            if (loadingInto != null) {
                loadingInto.finishBulk();
                current = loadingInto;
                loadingInto = null;
            } else {
                bulk.forEach(r -> current.add(r.customerId(), r.templateId(), r.vector(), r.modelVersion()));
            }
            bulk.clear();
            return kind();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** {@code exact} or {@code ann}. */
    public String kind() {
        lock.readLock().lock();
        try {
            return current instanceof HnswGallery ? "ann" : "exact";
        } finally {
            lock.readLock().unlock();
        }
    }

    public int annFrom() {
        return annFrom;
    }

    /** The settings an ANN index is built and searched with. */
    public HnswGallery.Settings annSettings() {
        return annSettings;
    }

    @Override
    public Optional<Match> bestMatch(float[] query, String modelVersion) {
        lock.readLock().lock();
        try {
            return current.bestMatch(query, modelVersion);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Adds a template; when that takes an exact gallery to {@code annFrom} templates, the ANN index is built
     * from its rows (the build holds the write lock: searches wait for it, once).
     */
    @Override
    public void add(long customerId, Long templateId, float[] vector, String modelVersion) {
        lock.writeLock().lock();
        try {
            current.add(customerId, templateId, vector, modelVersion);
            if (current instanceof ExactScanGallery exact && exact.size() >= annFrom) {
                long start = System.nanoTime();
                HnswGallery ann = new HnswGallery(annSettings, Vectors.kernel());
                for (ExactScanGallery.Row r : exact.rows()) {
                    ann.addForBulk(r.customerId(), r.templateId(), r.vector(), r.modelVersion());
                }
                ann.finishBulk();
                current = ann;
                LOG.info(() -> String.format("Gallery switched from the exact scan to the ANN index at %d templates"
                        + " (gallery.ann-from = %d), built in %d ms", ann.size(), annFrom,
                        (System.nanoTime() - start) / 1_000_000));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(long templateId) {
        lock.writeLock().lock();
        try {
            return current.remove(templateId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return current.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
