package io.tidemark.engine.plan;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToleranceTest
{
    private static OnKey key(ArrowType left, ArrowType right)
    {
        return OnKey.resolve("l.parquet", new Field("t", FieldType.nullable(left), null), "r.parquet", new Field("t", FieldType.nullable(right), null))[0];
    }

    private static final ArrowType MICROS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);

    @Test
    void temporalUnitsAreInclusiveBoundsInKeyUnits()
    {
        Tolerance t = Tolerance.parse("250ms", key(MICROS, MICROS), "ts");
        assertThat(t.within(1_000_000, 1_250_000)).isTrue();
        assertThat(t.within(1_000_000, 1_250_001)).isFalse();
        assertThat(Tolerance.parse("5min", key(MICROS, MICROS), "ts").within(0, 300_000_000)).isTrue();
        assertThat(Tolerance.parse("5m", key(MICROS, MICROS), "ts").within(0, 300_000_001)).isFalse();
        assertThat(Tolerance.parse("1d", key(MICROS, MICROS), "ts").within(0, 86_400_000_000L)).isTrue();
    }

    @Test
    void mixedUnitsCompareInTheFinerUnit()
    {
        OnKey[] keys = OnKey.resolve("l", new Field("t", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)), null),
                "r", new Field("t", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)), null));
        assertThat(keys[0].unit()).isEqualTo(TimeUnit.NANOSECOND);
        assertThat(Tolerance.parse("1s", keys[0], "t").within(0, 1_000_000_000)).isTrue();
    }

    @Test
    void datesTakeWholeDaysAndFloorTheRest()
    {
        OnKey date = key(new ArrowType.Date(DateUnit.DAY), new ArrowType.Date(DateUnit.DAY));
        assertThat(Tolerance.parse("2d", date, "d").within(10, 12)).isTrue();
        assertThat(Tolerance.parse("36h", date, "d").within(10, 12)).isFalse();
        assertThat(Tolerance.parse("36h", date, "d").within(10, 11)).isTrue();
    }

    @Test
    void numericKeysTakeNumbers()
    {
        OnKey ints = key(new ArrowType.Int(64, true), new ArrowType.Int(32, true));
        assertThat(Tolerance.parse("5", ints, "i").within(10, 15)).isTrue();
        assertThatThrownBy(() -> Tolerance.parse("3.5", ints, "i")).hasMessageContaining("whole number");
        OnKey floats = key(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
        assertThat(Tolerance.parse("0.25", floats, "f").within(OnKey.sortable(1.0), OnKey.sortable(1.25))).isTrue();
        assertThat(Tolerance.parse("0.25", floats, "f").within(OnKey.sortable(-1.0), OnKey.sortable(-1.3))).isFalse();
    }

    @Test
    void wrongOrNegativeTolerancesAreRefusedWithTheOption()
    {
        assertThatThrownBy(() -> Tolerance.parse("-3s", key(MICROS, MICROS), "ts")).hasMessageContaining("--tolerance -3s").hasMessageContaining("positive");
        assertThatThrownBy(() -> Tolerance.parse("3", key(MICROS, MICROS), "ts")).hasMessageContaining("duration");
        assertThatThrownBy(() -> Tolerance.parse("3s", key(new ArrowType.Int(64, true), new ArrowType.Int(64, true)), "i"))
                .hasMessageContaining("whole number");
    }

    @Test
    void incompatibleKeysNameBothFilesAndColumns()
    {
        assertThatThrownBy(() -> key(MICROS, new ArrowType.Int(64, true))).hasMessageContaining("l.parquet").hasMessageContaining("r.parquet");
        assertThatThrownBy(() -> key(MICROS, new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))).hasMessageContaining("time zone");
        assertThatThrownBy(() -> key(ArrowType.Utf8.INSTANCE, ArrowType.Utf8.INSTANCE)).hasMessageContaining("cannot be an on key");
    }
}
