package com.rva.interfaces.batch;

import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.aggregates.StoreDays;
import com.rva.application.aggregates.StoreRef;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.partition.PartitionMapper;
import jakarta.batch.api.partition.PartitionPlan;
import jakarta.batch.api.partition.PartitionPlanImpl;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Splits the selected stores over the step's partitions: store number i (in id order) goes to partition
 * i mod n. The plan depends only on the stores, so a restart finds each partition's stores again and
 * goes on from that partition's own checkpoint.
 */
@Named("dailyAggregatesPartitionMapper")
@Dependent
public class DailyAggregatesPartitionMapper implements PartitionMapper {

    private static final Logger LOG = Logger.getLogger(DailyAggregatesPartitionMapper.class.getName());

    @Inject
    @BatchProperty(name = DailyAggregatesParameters.STORES)
    String stores;

    @Inject
    @BatchProperty(name = DailyAggregatesParameters.PARTITIONS)
    String partitions;

    @Inject
    JpaDailyAggregateRepository repository;

    @Override
    public PartitionPlan mapPartitions() {
        List<StoreRef> selected = repository.stores(DailyAggregatesParameters.storeCodes(stores));
        List<List<Long>> split = split(selected.stream().map(StoreRef::id).toList(),
                DailyAggregatesParameters.partitions(partitions));
        Properties[] props = new Properties[split.size()];
        for (int i = 0; i < props.length; i++) {
            props[i] = new Properties();
            props[i].setProperty("storeIds", split.get(i).stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        PartitionPlanImpl plan = new PartitionPlanImpl();
        plan.setPartitions(props.length);
        plan.setThreads(props.length);
        plan.setPartitionProperties(props);
        LOG.info(() -> "daily-aggregates: " + selected.size() + " store(s) in " + props.length + " partition(s)");
        return plan;
    }

    /** Round-robin over at most {@code n} non-empty partitions ({@link StoreDays#partition}). */
    static List<List<Long>> split(List<Long> storeIds, int n) {
        return StoreDays.partition(storeIds, n);
    }
}
