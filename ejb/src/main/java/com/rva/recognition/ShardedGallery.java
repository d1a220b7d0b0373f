package com.rva.recognition;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * What {@link ExactScanGallery} and {@link HnswGallery} share: one shard per model version (templates of different
 * versions are never compared), a read/write lock (many searches at once; an add or remove waits for them) and the
 * template count.
 *
 * @param <S> the shard: the templates of one model version
 */
abstract class ShardedGallery<S extends ShardedGallery.Shard> implements Gallery {

    /** Stands for a template without a database id ({@code templateId == null}). */
    static final long NO_TEMPLATE_ID = Long.MIN_VALUE;

    /** The templates of one model version. */
    interface Shard {
        /** Removes the template; whether the shard held it. */
        boolean remove(long templateId);
    }

    final ReadWriteLock lock = new ReentrantReadWriteLock();
    final Map<String, S> shards = new HashMap<>();
    int size;

    /** The shard's answer under the read lock, or empty when no template has that model version. */
    final Optional<Match> search(String modelVersion, Function<S, Optional<Match>> search) {
        lock.readLock().lock();
        try {
            S shard = shards.get(modelVersion);
            return shard == null ? Optional.empty() : search.apply(shard);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The shard of {@code modelVersion}, made by {@code create} if it has none; call under the write lock. */
    final S shard(String modelVersion, Function<String, S> create) {
        Objects.requireNonNull(modelVersion, "modelVersion");
        return shards.computeIfAbsent(modelVersion, create);
    }

    @Override
    public boolean remove(long templateId) {
        lock.writeLock().lock();
        try {
            for (S shard : shards.values()) {
                if (shard.remove(templateId)) {
                    size--;
                    return true;
                }
            }
            return false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }
}
