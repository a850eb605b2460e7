package io.tidemark.engine.partition;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The distinct-key estimate that decides between time pieces and key groups. */
class KeySketchTest
{
    @Test
    void exactForFewKeysWhateverTheRepeats()
    {
        KeySketch sketch = new KeySketch();
        for (int i = 0; i < 100_000; i++) {
            sketch.add(i % 3);
        }
        assertThat(sketch.distinct()).isEqualTo(3);
    }

    @Test
    void estimatesManyKeysAndMergesAsTheUnion()
    {
        SplittableRandom random = new SplittableRandom(5);
        KeySketch a = new KeySketch();
        KeySketch b = new KeySketch();
        KeySketch all = new KeySketch();
        for (int i = 0; i < 400_000; i++) {
            long key = random.nextInt(100_000);   // about 98,000 distinct keys, each seen about 4 times
            (i % 2 == 0 ? a : b).add(key);
            all.add(key);
        }
        a.merge(b);
        assertThat(a.distinct()).isEqualTo(all.distinct());
        assertThat((double) all.distinct()).isCloseTo(98_168, within(98_168 * 0.4));
    }
}
