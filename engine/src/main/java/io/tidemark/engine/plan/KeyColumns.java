package io.tidemark.engine.plan;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The {@code by} columns of one batch of one side: hashing, null checks and cross-side equality. */
public final class KeyColumns
{
    private final ColumnAccess[] columns;

    public KeyColumns(VectorSchemaRoot root, int[] indices)
    {
        columns = new ColumnAccess[indices.length];
        for (int i = 0; i < indices.length; i++) {
            columns[i] = new ColumnAccess(root.getVector(indices[i]));
        }
    }

    /** The by columns {@code indices} of {@code vectors} (vectors by column index). */
    public KeyColumns(FieldVector[] vectors, int[] indices)
    {
        columns = new ColumnAccess[indices.length];
        for (int i = 0; i < indices.length; i++) {
            columns[i] = new ColumnAccess(vectors[indices[i]]);
        }
    }

    public int size()
    {
        return columns.length;
    }

    /** The row's by-key hash: the one the partitioner spills and loaders compute again; 0 without by columns. */
    public long hash(int row)
    {
        long h = 0;
        for (ColumnAccess c : columns) {
            h = Hashing.combine(h, c.hash(row));
        }
        return h;
    }

    public boolean anyNull(int row)
    {
        for (ColumnAccess c : columns) {
            if (c.isNull(row)) {
                return true;
            }
        }
        return false;
    }

    /** Equality with NULL equal to NULL; the caller applies {@code --null-keys never} first. */
    public static boolean equal(KeyColumns a, int ra, KeyColumns b, int rb)
    {
        for (int i = 0; i < a.columns.length; i++) {
            ColumnAccess x = a.columns[i];
            ColumnAccess y = b.columns[i];
            boolean xn = x.isNull(ra);
            boolean yn = y.isNull(rb);
            if (xn || yn) {
                if (xn != yn) {
                    return false;
                }
                continue;
            }
            if (!ColumnAccess.equal(x, ra, y, rb)) {
                return false;
            }
        }
        return true;
    }
}
