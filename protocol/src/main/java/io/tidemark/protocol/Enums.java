package io.tidemark.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

final class Enums
{
    private Enums() {}

    static <E extends Enum<E>> E parse(Class<E> type, String text, String option)
    {
        String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(wanted)) {
                return value;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("|"));
        throw new TidemarkException(FailureKind.FATAL, option + ": '" + text + "' is not one of " + allowed);
    }
}
