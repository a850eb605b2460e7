package io.tidemark.protocol;

/**
 * The one failure classification. It travels as a typed field in every failure report, so a retry
 * decision never parses a message.
 */
public enum FailureKind
{
    /** Worth retrying as is: a timeout, a lost connection, a full queue. */
    TRANSIENT,
    /** An intermediate result is gone (a spill file, a worker's map output): recompute it, then retry. */
    INPUT_LOST,
    /** Deterministic: bad input, bad options, a budget that cannot hold the data. Retrying gives the same answer. */
    FATAL
}
