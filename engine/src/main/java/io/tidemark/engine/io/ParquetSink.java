package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Writes Arrow rows to one Parquet file: each column is encoded straight from the Arrow buffers
 * ({@link ColumnEncoder}), and a row group is cut when its bytes or rows reach the bound. The Arrow
 * schema is stored as pyarrow does (ARROW:schema), so time zones and integer widths read back
 * unchanged.
 */
public final class ParquetSink
        implements AutoCloseable
{
    private static final int CHECK_EVERY = 1024;

    private final Path path;
    private final Schema schema;
    private final ParquetFileWriter file;
    /** False when the row groups go into a concatenation someone else ends. */
    private final boolean owned;
    /** Row groups encoded but not written yet ({@link #staged}), or null when they go to {@link #file}. */
    private final List<EncodedChunk[]> stagedGroups;
    private final List<Long> stagedRows;
    private final long rowGroupBytes;
    private final int rowGroupRows;
    private final ColumnEncoder[] columns;
    private org.apache.arrow.memory.ArrowBuf[][] cells = new org.apache.arrow.memory.ArrowBuf[CHECK_EVERY][];
    private long groupRows;
    private long rows;
    private int rowGroups;

    public ParquetSink(Path path, Schema schema, long rowGroupBytes, int rowGroupRows)
    {
        this(path, schema, rowGroupBytes, rowGroupRows, null);
    }

    /**
     * A sink whose row groups go into {@code shared}, a {@link #concatenation} of {@code path}: the
     * first part of a file that other parts are appended to; closing it ends its last row group only.
     */
    public static ParquetSink into(ParquetFileWriter shared, Path path, Schema schema, long rowGroupBytes, int rowGroupRows)
    {
        return new ParquetSink(path, schema, rowGroupBytes, rowGroupRows, requireNonNull(shared, "shared is null"), false);
    }

    /**
     * A sink that encodes row groups into memory and writes none: after {@link #close}, {@link
     * #writeStaged} writes them into a {@link #concatenation} of {@code path}. Lets threads encode
     * in parallel what one file receives in order.
     */
    public static ParquetSink staged(Path path, Schema schema, long rowGroupBytes, int rowGroupRows)
    {
        return new ParquetSink(path, schema, rowGroupBytes, rowGroupRows, null, true);
    }

    private ParquetSink(Path path, Schema schema, long rowGroupBytes, int rowGroupRows, ParquetFileWriter shared)
    {
        this(path, schema, rowGroupBytes, rowGroupRows, shared, false);
    }

    private ParquetSink(Path path, Schema schema, long rowGroupBytes, int rowGroupRows, ParquetFileWriter shared, boolean staging)
    {
        this.path = requireNonNull(path, "path is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.rowGroupBytes = rowGroupBytes;
        this.rowGroupRows = rowGroupRows;
        this.owned = shared == null && !staging;
        this.stagedGroups = staging ? new ArrayList<>() : null;
        this.stagedRows = staging ? new ArrayList<>() : null;
        MessageType message = messageType(schema);
        List<ColumnDescriptor> descriptors = message.getColumns();
        this.columns = new ColumnEncoder[descriptors.size()];
        PageScratch scratch = new PageScratch();
        for (int c = 0; c < columns.length; c++) {
            columns[c] = ColumnEncoder.of(descriptors.get(c), schema.getFields().get(c).getType(), scratch);
        }
        if (shared != null || staging) {
            this.file = shared;
            return;
        }
        try {
            this.file = new ParquetFileWriter(new LocalOutputFile(path), message, ParquetFileWriter.Mode.CREATE, rowGroupBytes, 0);
            file.start();
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot create " + path + ": " + e.getMessage());
        }
    }

    /**
     * Writes all rows of {@code batch}; its first vectors are the output columns, extra ones are
     * ignored but for {@link KeyIdColumn}s, which their string columns' encoders use.
     */
    public void write(VectorSchemaRoot batch)
    {
        Bound bound = bind(batch);
        int n = batch.getRowCount();
        for (int v = columns.length; v < batch.getFieldVectors().size(); v++) {
            int numbered = KeyIdColumn.numbered(batch, v, columns.length);   // a string column the vector numbers, or -1
            if (numbered >= 0) {
                columns[numbered].keys(batch.getVector(v).getDataBuffer());
            }
        }
        try {
            // rows of one batch in order: each column takes them as one run (numbers without nulls copied whole)
            for (int from = 0; from < n; ) {
                int count = step(n - from);
                for (int c = 0; c < columns.length; c++) {
                    columns[c].addRun(bound.buffers[c], from, count);
                }
                from += count;
                advance(count);
            }
        }
        finally {
            for (ColumnEncoder column : columns) {
                column.keys(null);
            }
        }
    }

    /** A batch whose buffers are looked up once, for writing its rows one at a time (the k-way merge). */
    public static final class Bound
    {
        private final org.apache.arrow.memory.ArrowBuf[][] buffers;

        private Bound(org.apache.arrow.memory.ArrowBuf[][] buffers)
        {
            this.buffers = buffers;
        }
    }

    public Bound bind(VectorSchemaRoot batch)
    {
        org.apache.arrow.memory.ArrowBuf[][] buffers = new org.apache.arrow.memory.ArrowBuf[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            buffers[c] = ColumnEncoder.buffers(batch.getVector(c));
        }
        return new Bound(buffers);
    }

    /**
     * Writes {@code count} rows, row j being {@code rows[j]} of {@code bounds[j]}, column by column
     * (the k-way merge passes blocks of rows from many batches). Row groups are cut where writing
     * the rows one by one would cut them: every {@link #CHECK_EVERY} rows, by bytes or rows.
     */
    public void writeRows(Bound[] bounds, int[] rows, int count)
    {
        if (cells.length < count) {
            cells = new org.apache.arrow.memory.ArrowBuf[count][];
        }
        for (int from = 0; from < count; ) {
            int n = step(count - from);
            for (int c = 0; c < columns.length; c++) {
                for (int j = from; j < from + n; j++) {
                    cells[j] = bounds[j].buffers[c];
                }
                columns[c].add(cells, rows, from, n);
            }
            from += n;
            advance(n);
        }
    }

    /** How many of {@code left} rows to add before the row group's size is checked again, or it is full. */
    private int step(int left)
    {
        return (int) Math.min(left, Math.min(CHECK_EVERY - groupRows % CHECK_EVERY, rowGroupRows - groupRows));
    }

    /** Counts {@code n} rows added to every column; ends the row group when it has its rows or bytes. */
    private void advance(int n)
    {
        this.rows += n;
        groupRows += n;
        if (groupRows % CHECK_EVERY == 0 || groupRows >= rowGroupRows) {
            if (groupRows >= rowGroupRows || groupBytes() >= rowGroupBytes) {
                flushRowGroup();
            }
        }
    }

    private long groupBytes()
    {
        long total = 0;
        for (ColumnEncoder c : columns) {
            total += c.groupBytes();
        }
        return total;
    }

    private void flushRowGroup()
    {
        if (groupRows == 0) {
            return;
        }
        if (stagedGroups != null) {
            EncodedChunk[] chunks = new EncodedChunk[columns.length];
            for (int c = 0; c < columns.length; c++) {
                chunks[c] = columns[c].endChunk();
            }
            stagedGroups.add(chunks);
            stagedRows.add(groupRows);
            rowGroups++;
            groupRows = 0;
            return;
        }
        try {
            file.startBlock(groupRows);
            for (ColumnEncoder c : columns) {
                c.endChunk().write(file);
            }
            file.endBlock();
            rowGroups++;
            groupRows = 0;
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + path + ": " + e.getMessage());
        }
    }

    /** Writes the row groups a closed {@link #staged} sink encoded into {@code target}, and drops them. */
    public void writeStaged(ParquetFileWriter target)
    {
        try {
            for (int g = 0; g < stagedGroups.size(); g++) {
                target.startBlock(stagedRows.get(g));
                for (int c = 0; c < columns.length; c++) {
                    stagedGroups.get(g)[c].write(target);
                }
                target.endBlock();
            }
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + path + ": " + e.getMessage());
        }
        stagedGroups.clear();
        stagedRows.clear();
    }

    public long rows()
    {
        return rows;
    }

    public int rowGroups()
    {
        return rowGroups;
    }

    static MessageType messageType(Schema schema)
    {
        List<Type> types = new ArrayList<>();
        for (Field f : schema.getFields()) {
            types.add(ArrowParquetTypes.toParquet(f));
        }
        return new MessageType("schema", types);
    }

    /** Footer metadata: the Arrow schema as pyarrow stores it, so zones and widths read back unchanged. */
    public static Map<String, String> metadata(Schema schema)
    {
        Map<String, String> metadata = new LinkedHashMap<>();   // in a fixed order, so equal outputs are equal files
        metadata.put("ARROW:schema", Base64.getEncoder().encodeToString(schema.serializeAsMessage()));
        metadata.put("writer.model.name", "tidemark");
        return metadata;
    }

    /**
     * Starts {@code target} as a file that is the row groups of other files of {@code schema},
     * appended in order by {@link #append} and copied byte for byte (no decoding): how ranges written
     * in parallel become one file. {@code end(metadata(schema))} finishes it.
     */
    public static ParquetFileWriter concatenation(Path target, Schema schema, long rowGroupBytes)
            throws IOException
    {
        ParquetFileWriter writer = new ParquetFileWriter(new LocalOutputFile(target), messageType(schema),
                ParquetFileWriter.Mode.CREATE, rowGroupBytes, 0);
        writer.start();
        return writer;
    }

    /** Appends the row groups of {@code part} to a {@link #concatenation} of {@code target}. */
    public static void append(ParquetFileWriter writer, Path part, Path target)
    {
        try {
            writer.appendFile(new NioInputFile(part));
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + target + ": " + e.getMessage());
        }
    }

    @Override
    public void close()
    {
        flushRowGroup();
        if (!owned) {
            return;
        }
        try {
            file.end(metadata(schema));
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot finish " + path + ": " + e.getMessage());
        }
    }
}
