package io.tidemark.coordinator;

import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.output.AtomicOutput;
import io.tidemark.engine.output.Manifest;
import io.tidemark.engine.output.RunMerger;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.JobOrder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Publishes a job whose shards are all committed, atomically: OUT.parquet as a k-way merge of every
 * committed run in (on key, left ordinal) order, or a directory of the committed part files with a
 * {@code _SUCCESS} manifest (file, rows, bytes, sha256). Then drops the job's collector folder.
 */
public final class OutputPublisher
{
    private OutputPublisher() {}

    /** Returns the rows written. */
    public static long publish(ShardCollector collector, JobOrder job, List<ShardId> shards, BufferAllocator allocator)
    {
        Path target = Paths.get(job.output());
        collector.awaitCommits(job.id(), 60_000);   // the last commit may still be renaming its folder
        try (AtomicOutput out = new AtomicOutput(target)) {
            long rows;
            if (job.singleFile()) {
                Schema schema = new JoinPlan(job.spec(), InputTable.open(job.left()), InputTable.open(job.right())).output().schema();
                List<Path> runs = new ArrayList<>();
                for (ShardId shard : shards) {
                    runs.addAll(files(collector.committedDir(job.id(), shard), ".arrows"));
                }
                try (ParquetSink sink = new ParquetSink(out.temporary(), schema, job.resources().rowGroupBytes(),
                        job.resources().rowGroupRows())) {
                    rows = RunMerger.merge(runs, allocator, sink, n -> { });
                }
            }
            else {
                Files.createDirectories(out.temporary());
                List<Manifest.Entry> entries = new ArrayList<>();
                rows = 0;
                for (ShardId shard : shards) {
                    for (Path part : files(collector.committedDir(job.id(), shard), ".parquet")) {
                        String piece = part.getFileName().toString().replace("piece-", "").replace(".parquet", "");
                        Path name = out.temporary().resolve(String.format("part-%05d-%s.parquet", shard.bucket(), piece));
                        long partRows = Long.parseLong(Files.readString(part.resolveSibling(part.getFileName() + ".rows")).trim());
                        Files.move(part, name);
                        entries.add(Manifest.entry(name, partRows));
                        rows += partRows;
                    }
                }
                Manifest.write(out.temporary(), entries);
            }
            out.publish();
            return rows;
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot publish " + target + ": " + e.getMessage());
        }
        finally {
            collector.abandon(job.id());
        }
    }

    private static List<Path> files(Path dir, String suffix)
            throws IOException
    {
        if (!Files.isDirectory(dir)) {
            throw TidemarkException.fatal("committed shard folder " + dir + " is missing");
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
