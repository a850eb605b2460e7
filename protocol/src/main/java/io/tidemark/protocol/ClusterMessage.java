package io.tidemark.protocol;

/**
 * Marks what crosses process boundaries between Tidemark roles; Pekko binds it to
 * {@link KryoPekkoSerializer}. Every implementing class must be registered in {@link KryoRegistry}.
 */
public interface ClusterMessage {}
