package io.tidemark.protocol;

/** Whether a NULL {@code by} value matches a NULL on the other side (pandas) or nothing (SQL). */
public enum NullKeys
{
    MATCH, NEVER;

    public static NullKeys parse(String text)
    {
        return Enums.parse(NullKeys.class, text, "--null-keys");
    }
}
