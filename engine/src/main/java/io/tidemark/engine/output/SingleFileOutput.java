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
import org.apache.parquet.hadoop.ParquetFileWriter;

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
 * in order while later ranges are still merging.
 */
public final class SingleFileOutput
{
    private SingleFileOutput() {}

    /**
     * Output ranges per merging thread: with more ranges than threads, finished ranges are appended
     * to the file while later ones merge, and only the last one's copy is left at the end.
     */
    private static final int RANGES_PER_WORKER = 2;

    /** How many output ranges {@code workers} threads merge. */
    public static int ranges(int workers)
    {
        return workers <= 1 ? 1 : workers * RANGES_PER_WORKER;
    }

    /** On-key cuts into {@link #ranges} output ranges. */
    public static long[] cuts(List<Fragments> leftBuckets, int workers)
    {
        if (workers <= 1) {
            return new long[0];
        }
        Fragments all = new Fragments(1);
        leftBuckets.forEach(all::merge);
        return PieceSplitter.boundaries(all.sample(), new long[0], ranges(workers));
    }

    /**
     * Merges the first range's runs straight into {@code target} and every later range's into a
     * range file, whose row groups are appended to the target in order, each as soon as it and
     * every range before it are done, so the copying overlaps the merging of later ranges; returns
     * rows written.
     */
    public static long write(List<List<Path>> runs, Schema schema, Path target, SpillDir spill, BufferAllocator allocator,
            int workers, long rowGroupBytes, int rowGroupRows, JoinCounters counters)
    {
        List<Path> parts = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            parts.add(spill.file("range-" + r + ".parquet"));
        }
        long[] rows = new long[runs.size()];
        try (Appender appender = new Appender(parts, target, schema, rowGroupBytes)) {
            Workers.map(workers, runs.size(), r -> {
                List<Path> sorted = new ArrayList<>(runs.get(r));
                sorted.sort(null);
                counters.spilledBytes.add(sorted.stream().mapToLong(SingleFileOutput::size).sum());
                // the first range is merged straight into the file; later ones into range files appended after it
                try (ParquetSink sink = r == 0 ? ParquetSink.into(appender.writer, target, schema, rowGroupBytes, rowGroupRows)
                        : new ParquetSink(parts.get(r), schema, rowGroupBytes, rowGroupRows)) {
                    rows[r] = RunMerger.merge(sorted, allocator, sink, counters.rowsWritten::add);
                }
                sorted.forEach(SpillDir::deleteTree);
                appender.done(r);
                return null;
            });
            appender.finish();
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + target + ": " + e.getMessage());
        }
        finally {
            parts.forEach(SpillDir::deleteTree);
        }
        return Arrays.stream(rows).sum();
    }

    /**
     * The target file and the order of its ranges: range 0 is written into it directly, range k >= 1
     * is appended once it and every range before it are done. One thread appends at a time: the one
     * that finishes a range other ranges were waiting behind appends all that are ready, the others
     * go on merging.
     */
    private static final class Appender
            implements AutoCloseable
    {
        private final List<Path> parts;
        private final Path target;
        private final Schema schema;
        final ParquetFileWriter writer;
        private final boolean[] done;
        private int next;
        private boolean appending;
        private boolean ended;

        Appender(List<Path> parts, Path target, Schema schema, long rowGroupBytes)
                throws IOException
        {
            this.parts = parts;
            this.target = target;
            this.schema = schema;
            this.done = new boolean[parts.size()];
            this.writer = ParquetSink.concatenation(target, schema, rowGroupBytes);
        }

        void done(int range)
        {
            synchronized (this) {
                done[range] = true;
                if (appending) {
                    return;
                }
                appending = true;
            }
            while (true) {
                int k;
                synchronized (this) {
                    if (next == done.length || !done[next]) {
                        appending = false;
                        return;
                    }
                    k = next;
                }
                if (k > 0) {   // range 0 is in the file already
                    ParquetSink.append(writer, parts.get(k), target);
                    SpillDir.deleteTree(parts.get(k));
                }
                synchronized (this) {
                    next++;
                }
            }
        }

        void finish()
                throws IOException
        {
            synchronized (this) {
                if (next != done.length) {
                    throw new IllegalStateException("range " + next + " was not appended");
                }
            }
            writer.end(ParquetSink.metadata(schema));
            ended = true;
        }

        /** Closes the target if it was not finished (the caller deletes that temporary file). */
        @Override
        public void close()
                throws IOException
        {
            if (!ended) {
                writer.close();
            }
        }
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
