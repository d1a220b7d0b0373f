package com.rva.recognition;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which templates a customer keeps: up to {@code maxTemplates} of one model version, the best-quality ones.
 * A crop attached to a customer becomes a new template while there is room; when the set is full it replaces
 * the worst template if its quality is higher. Several templates per customer let a later crop match the
 * closest of several looks (pose, light, make-up), and give consolidation more to average over.
 *
 * @param maxTemplates K, at least 1
 */
public record TemplatePolicy(int maxTemplates) {

    /** A template the customer has. */
    public record Kept(long templateId, float quality) {
    }

    /**
     * What to do with an attached crop's embedding.
     *
     * @param keep     whether it becomes a template
     * @param replaces the template it replaces, empty when it is added (or not kept)
     */
    public record Decision(boolean keep, Optional<Long> replaces) {
        static final Decision ADD = new Decision(true, Optional.empty());
        static final Decision SKIP = new Decision(false, Optional.empty());
    }

    public TemplatePolicy {
        if (maxTemplates < 1) {
            throw new IllegalArgumentException("a customer keeps at least one template, not " + maxTemplates);
        }
    }

    /** @param current the customer's templates of the crop's model version */
    public Decision onAttach(List<Kept> current, float quality) {
        if (current.size() < maxTemplates) {
            return Decision.ADD;
        }
        Kept worst = current.stream().min(Comparator.comparingDouble(Kept::quality).thenComparingLong(k -> -k.templateId()))
                .orElseThrow();
        return quality > worst.quality() ? new Decision(true, Optional.of(worst.templateId())) : Decision.SKIP;
    }
}
