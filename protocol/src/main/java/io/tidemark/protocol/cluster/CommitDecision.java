package io.tidemark.protocol.cluster;

/** The coordinator's answer to "may this attempt commit its shard?". */
public enum CommitDecision
{
    /** The first (current) attempt to ask: rename its output into place. */
    COMMIT,
    /** Another attempt already committed this shard: discard. */
    REFUSED_TAKEN,
    /** The attempt or its coordinator epoch is no longer current (re-assigned, worker declared lost): discard. */
    REFUSED_STALE,
}
