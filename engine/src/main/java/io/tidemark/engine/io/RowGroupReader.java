package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.nio.ByteBuffer;

import static java.util.Objects.requireNonNull;

/**
 * Reads one row group of one file into Arrow batches, column by column: values go straight from
 * Parquet's column readers into preallocated vectors, a batch at a time.
 */
public final class RowGroupReader
        implements AutoCloseable
{
    private final InputFile file;
    private final ParquetFileReader reader;
    private final ColumnReader[] columns;
    private final int[] maxDefinition;
    private final long[] divisors;
    private final long rows;
    private long consumed;

    public RowGroupReader(InputFile file, int rowGroup, Schema schema)
    {
        this.file = requireNonNull(file, "file is null");
        try {
            reader = ParquetFileReader.open(new NioInputFile(file.path()), InputTable.readOptions());
            PageReadStore pages = reader.readRowGroup(rowGroup);
            MessageType message = reader.getFooter().getFileMetaData().getSchema();
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new GroupRecordConverter(message).getRootConverter(),
                    message, reader.getFooter().getFileMetaData().getCreatedBy());
            int n = schema.getFields().size();
            columns = new ColumnReader[n];
            maxDefinition = new int[n];
            divisors = new long[n];
            for (int c = 0; c < n; c++) {
                ColumnDescriptor descriptor = message.getColumns().get(c);
                columns[c] = store.getColumnReader(descriptor);
                maxDefinition[c] = descriptor.getMaxDefinitionLevel();
                divisors[c] = ArrowParquetTypes.parquetScale(schema.getFields().get(c).getType());
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
                fill(vector, columns[c], maxDefinition[c], divisors[c], n);
            }
            catch (RuntimeException e) {
                throw TidemarkException.fatal(file.path() + ": column " + vector.getName() + ": cannot decode: " + e.getMessage());
            }
            vector.setValueCount(n);
        }
        root.setRowCount(n);
        consumed += n;
        return n;
    }

    private static void fill(FieldVector vector, ColumnReader in, int maxDef, long divisor, int n)
    {
        if (vector instanceof BigIntVector) {
            BigIntVector v = (BigIntVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, in.getLong());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof TimeStampVector) {
            TimeStampVector v = (TimeStampVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, divisor == 1 ? in.getLong() : Math.floorDiv(in.getLong(), divisor));
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof IntVector) {
            IntVector v = (IntVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, in.getInteger());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof DateDayVector) {
            DateDayVector v = (DateDayVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, in.getInteger());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof SmallIntVector) {
            SmallIntVector v = (SmallIntVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, (short) in.getInteger());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof TinyIntVector) {
            TinyIntVector v = (TinyIntVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, (byte) in.getInteger());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof Float8Vector) {
            Float8Vector v = (Float8Vector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, in.getDouble());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof Float4Vector) {
            Float4Vector v = (Float4Vector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, in.getFloat());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof BitVector) {
            BitVector v = (BitVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    v.set(i, in.getBoolean() ? 1 : 0);
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else if (vector instanceof VarCharVector || vector instanceof VarBinaryVector) {
            org.apache.arrow.vector.BaseVariableWidthVector v = (org.apache.arrow.vector.BaseVariableWidthVector) vector;
            for (int i = 0; i < n; i++, in.consume()) {
                if (in.getCurrentDefinitionLevel() == maxDef) {
                    Binary value = in.getBinary();
                    ByteBuffer bytes = value.toByteBuffer();
                    v.setSafe(i, bytes, bytes.position(), bytes.remaining());
                }
                else {
                    v.setNull(i);
                }
            }
        }
        else {
            throw new IllegalStateException("no reader for " + vector.getField());
        }
    }

    @Override
    public void close()
    {
        try {
            reader.close();
        }
        catch (IOException e) {
            throw TidemarkException.fatal(file.path() + ": cannot close: " + e.getMessage());
        }
    }
}
