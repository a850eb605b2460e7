package io.tidemark.engine.shard;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Progress and totals shared by the threads of one job. */
public final class JoinCounters
{
    public final LongAdder rowsRead = new LongAdder();
    public final LongAdder rowsSorted = new LongAdder();
    public final LongAdder rowsJoined = new LongAdder();
    public final LongAdder rowsWritten = new LongAdder();
    public final LongAdder rowsOut = new LongAdder();
    public final LongAdder rowsMatched = new LongAdder();
    public final LongAdder spilledBytes = new LongAdder();
    public final AtomicLong shards = new AtomicLong();
}
