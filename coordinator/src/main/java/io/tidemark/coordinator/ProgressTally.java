package io.tidemark.coordinator;

import io.tidemark.protocol.cluster.ShardStats;

/** A job's counters summed over its finished map tasks and committed shards, for its status. */
record ProgressTally(long read, long sorted, long joined, long out, long matched, long spilled, int mapsDone, int committed)
{
    static ProgressTally of(TaskTrack[] maps, ShardStats[] shards)
    {
        long read = 0;
        long spilled = 0;
        int mapsDone = 0;
        for (TaskTrack t : maps) {
            if (t.status == TaskTrack.Status.DONE) {
                read += t.rows;
                spilled += t.spilled;
                mapsDone++;
            }
        }
        long sorted = 0;
        long joined = 0;
        long out = 0;
        long matched = 0;
        int committed = 0;
        for (ShardStats s : shards) {
            if (s != null) {
                sorted += s.rowsSorted();
                joined += s.leftRows();
                out += s.rowsOut();
                matched += s.rowsMatched();
                spilled += s.spilledBytes();
                committed++;
            }
        }
        return new ProgressTally(read, sorted, joined, out, matched, spilled, mapsDone, committed);
    }
}
