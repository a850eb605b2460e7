package io.tidemark.engine.output;

import io.tidemark.engine.Workers;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.engine.shard.PieceSplitter;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The single output file in pandas' row order: the on-key domain is cut into one range per worker
 * (from the left key samples), each shard's output is spilled as one sorted run per range, every
 * range is merged and encoded by its own thread, and the range files' row groups are concatenated
 * in order.
 */
public final class SingleFileOutput
{
    private SingleFileOutput() {}

    /** On-key cuts into one output range per worker. */
    public static long[] cuts(List<Fragments> leftBuckets, int workers)
    {
        if (workers <= 1) {
            return new long[0];
        }
        Fragments all = new Fragments(1);
        leftBuckets.forEach(all::merge);
        return PieceSplitter.boundaries(all.sample(), new long[0], workers);
    }

    /** Merges each range's runs into a range file, then the range files into {@code target}; returns rows written. */
    public static long write(List<List<Path>> runs, Schema schema, Path target, SpillDir spill, BufferAllocator allocator,
            int workers, long rowGroupBytes, int rowGroupRows, JoinCounters counters)
    {
        List<Path> parts = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            parts.add(spill.file("range-" + r + ".parquet"));
        }
        long[] rows = new long[runs.size()];
        try {
            Workers.map(workers, runs.size(), r -> {
                List<Path> sorted = new ArrayList<>(runs.get(r));
                sorted.sort(null);
                counters.spilledBytes.add(sorted.stream().mapToLong(SingleFileOutput::size).sum());
                try (ParquetSink sink = new ParquetSink(parts.get(r), schema, rowGroupBytes, rowGroupRows)) {
                    rows[r] = RunMerger.merge(sorted, allocator, sink, counters.rowsWritten::add);
                }
                sorted.forEach(SpillDir::deleteTree);
                return null;
            });
            if (parts.size() == 1) {
                Files.move(parts.get(0), target);
            }
            else {
                ParquetSink.concat(parts, target, schema, rowGroupBytes);
            }
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + target + ": " + e.getMessage());
        }
        finally {
            parts.forEach(SpillDir::deleteTree);
        }
        return Arrays.stream(rows).sum();
    }

    private static long size(Path p)
    {
        try {
            return Files.size(p);
        }
        catch (IOException e) {
            return 0;
        }
    }
}
