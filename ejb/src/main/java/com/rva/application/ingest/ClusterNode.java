package com.rva.application.ingest;

import java.util.UUID;

/**
 * This deployment's name among the cluster's nodes, on every gallery change it publishes, so it can tell its own
 * messages from the others': the server's {@code jboss.node.name} (unique in a WildFly cluster) plus a random
 * part drawn at each start, so even two nodes misconfigured with one name, or a redeployment hearing messages of
 * its previous life, still count as different nodes (reloading a change twice does no harm).
 */
public final class ClusterNode {

    private static final String ID = System.getProperty("jboss.node.name", "node") + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    private ClusterNode() {
    }

    public static String id() {
        return ID;
    }
}
