package io.tidemark.engine.io;

import org.apache.parquet.hadoop.metadata.ParquetMetadata;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * One Parquet file of an input side.
 *
 * @param firstOrdinal the input ordinal of its first row: rows are numbered across files in path order
 */
public record InputFile(Path path, long firstOrdinal, ParquetMetadata footer)
{
    public InputFile
    {
        requireNonNull(path, "path is null");
        requireNonNull(footer, "footer is null");
    }

    public long rows()
    {
        return footer.getBlocks().stream().mapToLong(b -> b.getRowCount()).sum();
    }
}
