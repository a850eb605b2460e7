package io.tidemark.engine.io;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;
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

    /** A reader of this file that takes the footer read when the input was opened instead of reading and parsing it again. */
    ParquetFileReader open(ParquetReadOptions options)
            throws IOException
    {
        NioInputFile file = new NioInputFile(path);
        SeekableInputStream stream = file.newStream();
        try {
            return ParquetFileReader.open(file, footer, options, stream);   // closes the stream when closed
        }
        catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }
}
