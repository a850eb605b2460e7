package io.tidemark.engine.plan;

import io.tidemark.protocol.JoinSpec;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * pandas' output columns: every left column, then every right column except key columns that share
 * their name with the left key (on, and each by pair); other names present on both sides get the
 * suffixes. Every output column is nullable.
 */
public final class OutputLayout
{
    private final List<OutputColumn> columns;

    private OutputLayout(List<OutputColumn> columns)
    {
        this.columns = List.copyOf(columns);
    }

    public static OutputLayout of(JoinSpec spec, Schema left, Schema right)
    {
        Set<String> dropped = new HashSet<>();
        if (spec.leftOn().equals(spec.rightOn())) {
            dropped.add(spec.rightOn());
        }
        for (int i = 0; i < spec.rightBy().size(); i++) {
            if (spec.rightBy().get(i).equals(spec.leftBy().get(i))) {
                dropped.add(spec.rightBy().get(i));
            }
        }
        Set<String> leftNames = new HashSet<>();
        left.getFields().forEach(f -> leftNames.add(f.getName()));
        Set<String> rightNames = new HashSet<>();
        right.getFields().stream().filter(f -> !dropped.contains(f.getName())).forEach(f -> rightNames.add(f.getName()));
        List<OutputColumn> out = new ArrayList<>();
        for (int i = 0; i < left.getFields().size(); i++) {
            Field f = left.getFields().get(i);
            String name = rightNames.contains(f.getName()) ? f.getName() + spec.leftSuffix() : f.getName();
            out.add(new OutputColumn(Side.LEFT, i, rename(f, name)));
        }
        for (int i = 0; i < right.getFields().size(); i++) {
            Field f = right.getFields().get(i);
            if (dropped.contains(f.getName())) {
                continue;
            }
            String name = leftNames.contains(f.getName()) ? f.getName() + spec.rightSuffix() : f.getName();
            out.add(new OutputColumn(Side.RIGHT, i, rename(f, name)));
        }
        return new OutputLayout(out);
    }

    private static Field rename(Field f, String name)
    {
        return new Field(name, FieldType.nullable(f.getType()), null);
    }

    public List<OutputColumn> columns()
    {
        return columns;
    }

    public Schema schema()
    {
        List<Field> fields = new ArrayList<>();
        columns.forEach(c -> fields.add(c.field()));
        return new Schema(fields);
    }
}
