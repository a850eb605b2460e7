package io.tidemark.cli;

import io.tidemark.engine.JobSummary;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.RowGroupReader;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

/**
 * {@code tidemark demo}: writes sample server logs and crawl states (unsorted, skewed keys) as
 * Parquet, joins them as-of on ts by url, and shows the first rows of the result.
 */
final class DemoCommand
{
    private DemoCommand() {}

    static int run(String[] argv, PrintStream err)
            throws java.io.IOException
    {
        Args args = new Args(argv, 1, Set.of("--rows", "--dir", "--memory", "--workers"), Set.of("--quiet"));
        int rows = Integer.parseInt(args.get("--rows", "2000000").replace("_", ""));
        Path dir = Paths.get(args.get("--dir", "demo-data"));
        Path left = dir.resolve("logs.parquet");
        Path right = dir.resolve("crawls.parquet");
        err.printf("tidemark demo: writing %,d log rows and %,d crawl rows to %s%n", rows, rows / 5, dir);
        SampleData.write(left, right, rows, rows / 5, 42);
        Path out = dir.resolve("joined.parquet");
        err.println("tidemark demo: bin/tidemark join " + left + " " + right + " -o " + out + " --on ts --by url");
        JoinSpec spec = JoinSpec.asof("ts", List.of("url"));
        ResourceSpec resources = JoinCommand.resources(args);
        JobSummary summary = JoinCommand.execute(spec, left.toString(), right.toString(), out.toString(), resources, null,
                args.has("--quiet"), err);
        err.println(Summary.line(summary, resources));
        InputTable result = InputTable.open(out.toString());
        try (BufferAllocator allocator = new RootAllocator();
                RowGroupReader reader = new RowGroupReader(result.files().get(0), 0, result.schema());
                VectorSchemaRoot root = VectorSchemaRoot.create(result.schema(), allocator)) {
            reader.next(root, 5);
            System.out.print(root.contentToTSVString());
        }
        return 0;
    }
}
