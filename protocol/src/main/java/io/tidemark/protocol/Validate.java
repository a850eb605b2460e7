package io.tidemark.protocol;

/** Key uniqueness an exact join checks before writing anything, as pandas {@code merge(validate=...)}. */
public enum Validate
{
    ONE_TO_ONE, ONE_TO_MANY, MANY_TO_ONE, MANY_TO_MANY;

    public static Validate parse(String text)
    {
        return Enums.parse(Validate.class, text, "--validate");
    }

    public boolean leftUnique()
    {
        switch (this) {
            case ONE_TO_ONE:
            case ONE_TO_MANY:
                return true;
            case MANY_TO_ONE:
            case MANY_TO_MANY:
                return false;
        }
        throw new AssertionError(this);
    }

    public boolean rightUnique()
    {
        switch (this) {
            case ONE_TO_ONE:
            case MANY_TO_ONE:
                return true;
            case ONE_TO_MANY:
            case MANY_TO_MANY:
                return false;
        }
        throw new AssertionError(this);
    }
}
