package io.tidemark.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest
{
    @Test
    void theKindTravelsWithTheExceptionThroughWrappers()
    {
        TidemarkException lost = new TidemarkException(FailureKind.INPUT_LOST, "spill file gone");
        assertThat(Failures.classify(new RuntimeException(new IllegalStateException(lost)))).isEqualTo(FailureKind.INPUT_LOST);
        assertThat(Failures.message(new RuntimeException("wrapper", lost))).isEqualTo("spill file gone");
    }

    @Test
    void plainExceptionsAreClassifiedByWhatTheyMean()
    {
        assertThat(Failures.classify(new NoSuchFileException("/spill/x"))).isEqualTo(FailureKind.INPUT_LOST);
        assertThat(Failures.classify(new TimeoutException())).isEqualTo(FailureKind.TRANSIENT);
        assertThat(Failures.classify(new ConnectException("refused"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(Failures.classify(new IOException("No space left on device"))).isEqualTo(FailureKind.FATAL);
        assertThat(Failures.classify(new IllegalArgumentException("bad"))).isEqualTo(FailureKind.FATAL);
    }

    @Test
    void optionsAreParsedStrictlyWithTheOptionNamed()
    {
        assertThat(Direction.parse("Nearest")).isEqualTo(Direction.NEAREST);
        assertThat(Validate.parse("one_to_many").leftUnique()).isTrue();
        assertThat(Validate.parse("one_to_many").rightUnique()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> How.parse("outer"))
                .hasMessage("--how: 'outer' is not one of left|inner");
    }
}
