package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * Reads one row group of one file into Arrow batches, column by column: each column chunk is decoded
 * page by page straight into preallocated vectors ({@link ColumnChunkDecoder}), a batch at a time.
 */
public final class RowGroupReader
        implements AutoCloseable
{
    private final InputFile file;
    private final ParquetFileReader reader;
    private final PageReadStore pages;
    private final ColumnChunkDecoder[] columns;
    private final long rows;
    private long consumed;

    public RowGroupReader(InputFile file, int rowGroup, Schema schema)
    {
        this(file, rowGroup, schema, new ChunkBuffers(0));
    }

    /** Reads the row group's compressed chunks into arrays from {@code buffers}, handed back when this reader closes. */
    public RowGroupReader(InputFile file, int rowGroup, Schema schema, ChunkBuffers buffers)
    {
        this.file = requireNonNull(file, "file is null");
        try {
            reader = ParquetFileReader.open(new NioInputFile(file.path()), InputTable.readOptions(buffers));
            pages = reader.readRowGroup(rowGroup);
            MessageType message = reader.getFooter().getFileMetaData().getSchema();
            int n = schema.getFields().size();
            columns = new ColumnChunkDecoder[n];
            for (int c = 0; c < n; c++) {
                ColumnDescriptor descriptor = message.getColumns().get(c);
                columns[c] = new ColumnChunkDecoder(descriptor, pages.getPageReader(descriptor),
                        ArrowParquetTypes.parquetScale(schema.getFields().get(c).getType()));
            }
            rows = pages.getRowCount();
        }
        catch (IOException | RuntimeException e) {
            throw TidemarkException.fatal(file.path() + ": cannot read row group " + rowGroup + ": " + e.getMessage());
        }
    }

    public long rows()
    {
        return rows;
    }

    /** Fills {@code root} with up to {@code maxRows} next rows; returns how many (0 at the end). */
    public int next(VectorSchemaRoot root, int maxRows)
    {
        int n = (int) Math.min(maxRows, rows - consumed);
        for (int c = 0; c < columns.length; c++) {
            FieldVector vector = root.getVector(c);
            vector.setInitialCapacity(n);
            vector.allocateNew();
            try {
                columns[c].read(vector, n);
            }
            catch (IOException | RuntimeException e) {
                throw TidemarkException.fatal(file.path() + ": column " + vector.getName() + ": cannot decode: " + e.getMessage());
            }
            vector.setValueCount(n);
        }
        root.setRowCount(n);
        consumed += n;
        return n;
    }

    @Override
    public void close()
    {
        try (ParquetFileReader r = reader) {
            pages.close();   // hands the chunks' arrays back
        }
        catch (IOException e) {
            throw TidemarkException.fatal(file.path() + ": cannot close: " + e.getMessage());
        }
    }
}
