package com.rva.interfaces.batch;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.aggregates.StoreRef;

import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Reads the selected stores in id order. Its checkpoint is the id of the last store read, so a restart
 * goes on with the stores after it (those before were committed with their chunk).
 */
@Named("dailyAggregatesStoreReader")
@Dependent
public class StoreReader extends AbstractItemReader {

    private static final Logger LOG = Logger.getLogger(StoreReader.class.getName());

    @Inject
    JobContext jobContext;

    private Iterator<StoreRef> remaining;
    private Long lastStoreId;

    @Override
    public void open(Serializable checkpoint) {
        lastStoreId = (Long) checkpoint;
        List<StoreRef> todo = remainingAfter(DailyAggregatesRun.of(jobContext).stores(), lastStoreId);
        if (checkpoint != null) {
            LOG.info(() -> "daily-aggregates resumes after store id " + checkpoint + ": " + todo.size() + " store(s) left");
        }
        remaining = todo.iterator();
    }

    @Override
    public Object readItem() {
        if (!remaining.hasNext()) {
            return null;
        }
        StoreRef store = remaining.next();
        lastStoreId = store.id();
        return store;
    }

    @Override
    public Serializable checkpointInfo() {
        return lastStoreId;
    }

    /** The stores (in id order) after the checkpointed one; all of them without a checkpoint. */
    static List<StoreRef> remainingAfter(List<StoreRef> storesById, Long lastDoneId) {
        if (lastDoneId == null) {
            return storesById;
        }
        return storesById.stream().filter(s -> s.id() > lastDoneId).toList();
    }
}
