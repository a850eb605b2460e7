package io.tidemark.protocol;

/** Which right row an as-of join picks, as pandas {@code merge_asof(direction=...)}. */
public enum Direction
{
    BACKWARD, FORWARD, NEAREST;

    public static Direction parse(String text)
    {
        return Enums.parse(Direction.class, text, "--direction");
    }
}
