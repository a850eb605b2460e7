package io.tidemark.engine.plan;

import io.tidemark.engine.io.InputTable;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A join spec resolved against the two inputs: column positions, key normalization, tolerance,
 * output columns and the spill schema of each side. Every type and name error is raised here,
 * before any data is read.
 */
public final class JoinPlan
{
    /** Spilled rows carry these first: the normalized on key, the input ordinal and the by-key hash. */
    public static final int ON = 0;
    public static final int ORD = 1;
    public static final int HASH = 2;
    public static final int PAYLOAD = 3;

    private final JoinSpec spec;
    private final InputTable left;
    private final InputTable right;
    private final int leftOn;
    private final int rightOn;
    private final int[] leftBy;
    private final int[] rightBy;
    private final OnKey leftKey;
    private final OnKey rightKey;
    private final Tolerance tolerance;
    private final OutputLayout output;

    public JoinPlan(JoinSpec spec, InputTable left, InputTable right)
    {
        this.spec = requireNonNull(spec, "spec is null");
        this.left = requireNonNull(left, "left is null");
        this.right = requireNonNull(right, "right is null");
        leftOn = index(left, spec.leftOn(), "on");
        rightOn = index(right, spec.rightOn(), "on");
        leftBy = new int[spec.leftBy().size()];
        rightBy = new int[spec.rightBy().size()];
        for (int i = 0; i < leftBy.length; i++) {
            leftBy[i] = index(left, spec.leftBy().get(i), "by");
            rightBy[i] = index(right, spec.rightBy().get(i), "by");
            checkByTypes(left.schema().getFields().get(leftBy[i]), right.schema().getFields().get(rightBy[i]));
        }
        OnKey[] keys = OnKey.resolve(left.fileFor(spec.leftOn()), left.schema().getFields().get(leftOn),
                right.fileFor(spec.rightOn()), right.schema().getFields().get(rightOn));
        leftKey = keys[0];
        rightKey = keys[1];
        if (spec.exact() && spec.tolerance() != null) {
            throw TidemarkException.fatal("--tolerance has no meaning with --exact");
        }
        tolerance = Tolerance.parse(spec.tolerance(), leftKey, spec.leftOn());
        output = OutputLayout.of(spec, left.schema(), right.schema());
    }

    private static int index(InputTable table, String column, String role)
    {
        List<Field> fields = table.schema().getFields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).getName().equals(column)) {
                return i;
            }
        }
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.getName()));
        throw TidemarkException.fatal(table.fileFor(column) + ": no column " + column + " (the " + role + " key); columns are " + names);
    }

    private void checkByTypes(Field l, Field r)
    {
        for (Field f : List.of(l, r)) {
            switch (f.getType().getTypeID()) {
                case Int:
                case FloatingPoint:
                case Bool:
                case Utf8:
                case Binary:
                case Date:
                case Timestamp:
                    break;
                default:
                    throw TidemarkException.fatal((f == l ? left : right).fileFor(f.getName()) + ": column " + f.getName()
                            + " has type " + f.getType() + ", which cannot be a by key (use strings, integers, floats, bools, dates or timestamps)");
            }
        }
        boolean same = family(l.getType()).equals(family(r.getType()));
        if (!same) {
            throw TidemarkException.fatal("incompatible by keys: " + left.fileFor(l.getName()) + " column " + l.getName() + " is " + l.getType()
                    + " but " + right.fileFor(r.getName()) + " column " + r.getName() + " is " + r.getType());
        }
    }

    private static String family(ArrowType type)
    {
        switch (type.getTypeID()) {
            case Int:
                return "integer";
            case FloatingPoint:
                return "float";
            case Bool:
                return "bool";
            case Utf8:
                return "string";
            case Binary:
                return "binary";
            case Date:
                return "date";
            case Timestamp:
                return "timestamp " + ((ArrowType.Timestamp) type).getUnit();
            default:
                return type.toString();
        }
    }

    public JoinSpec spec()
    {
        return spec;
    }

    public InputTable table(Side side)
    {
        return side == Side.LEFT ? left : right;
    }

    public int onColumn(Side side)
    {
        return side == Side.LEFT ? leftOn : rightOn;
    }

    public int[] byColumns(Side side)
    {
        return (side == Side.LEFT ? leftBy : rightBy).clone();
    }

    /** By-column positions within the spill schema. */
    public int[] spillByColumns(Side side)
    {
        int[] by = byColumns(side);
        for (int i = 0; i < by.length; i++) {
            by[i] += PAYLOAD;
        }
        return by;
    }

    public OnKey onKey(Side side)
    {
        return side == Side.LEFT ? leftKey : rightKey;
    }

    public Tolerance tolerance()
    {
        return tolerance;
    }

    public OutputLayout output()
    {
        return output;
    }

    /** How {@code side}'s rows are spilled: the spill schema, and which of its columns files leave out. */
    public SpillLayout spillLayout(Side side)
    {
        int on = onColumn(side);
        // a by column hashed from a stored batch must be in it: the on column stays when it is a by column too
        boolean derived = onKey(side).copiesBits(table(side).schema().getFields().get(on).getType())
                && Arrays.stream(byColumns(side)).noneMatch(c -> c == on);
        boolean compact = !"false".equals(System.getProperty("tidemark.spill.derive"));
        return new SpillLayout(spillSchema(side), derived && compact ? on + PAYLOAD : -1, compact && table(side).rows() < Integer.MAX_VALUE, compact,
                spillByColumns(side));
    }

    public Schema spillSchema(Side side)
    {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field("__ord", FieldType.notNullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field("__hash", FieldType.notNullable(new ArrowType.Int(64, true)), null));
        fields.addAll(table(side).schema().getFields());
        return new Schema(fields);
    }
}
