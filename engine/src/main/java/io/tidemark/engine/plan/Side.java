package io.tidemark.engine.plan;

public enum Side
{
    LEFT, RIGHT
}
