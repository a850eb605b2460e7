package io.tidemark.protocol;

/** Whether unmatched left rows are kept (with nulls on the right) or dropped. */
public enum How
{
    LEFT, INNER;

    public static How parse(String text)
    {
        return Enums.parse(How.class, text, "--how");
    }
}
