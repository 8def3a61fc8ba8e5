package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class PoisonIsolationTest {

    /** A store that refuses every part holding one of {@code poison}, and remembers what it wrote. */
    private static final class Store {
        final Set<Integer> poison;
        final List<Integer> written = new ArrayList<>();

        Store(Integer... poison) {
            this.poison = Set.of(poison);
        }

        void write(List<Integer> part) {
            if (part.stream().anyMatch(poison::contains)) {
                throw new IllegalArgumentException("refused");
            }
            written.addAll(part);
        }
    }

    private static List<Integer> records(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void oneBadRecordAmongAThousandCostsAboutTwiceLog2Statements() {
        Store store = new Store(617);
        PoisonIsolation<Integer> isolation = new PoisonIsolation<>(store::write, failure -> false);

        List<PoisonIsolation.Refused<Integer>> refused = isolation.isolate(records(1000));

        assertThat(refused).extracting(PoisonIsolation.Refused::item).containsExactly(617);
        assertThat(store.written).hasSize(999).doesNotContain(617);
        assertThat(isolation.statements()).isLessThanOrEqualTo(2 * 10);
    }

    @Test
    void everyGoodRecordIsWrittenWhenSeveralAreRefused() {
        Store store = new Store(0, 1, 500, 999);
        PoisonIsolation<Integer> isolation = new PoisonIsolation<>(store::write, failure -> false);

        List<PoisonIsolation.Refused<Integer>> refused = isolation.isolate(records(1000));

        assertThat(refused).extracting(PoisonIsolation.Refused::item).containsExactlyInAnyOrder(0, 1, 500, 999);
        assertThat(store.written).hasSize(996);
    }

    @Test
    void aSingleRefusedRecordIsTriedOnce() {
        Store store = new Store(0);
        PoisonIsolation<Integer> isolation = new PoisonIsolation<>(store::write, failure -> false);

        assertThat(isolation.isolate(records(1))).hasSize(1);
        assertThat(isolation.statements()).isEqualTo(1);
    }

    @Test
    void aFailureThatIsNotTheRecordsFaultEndsTheSearch() {
        Store store = new Store(3);
        PoisonIsolation<Integer> isolation = new PoisonIsolation<>(part -> {
            throw new IllegalStateException("database went away");
        }, failure -> failure instanceof IllegalStateException);

        assertThatThrownBy(() -> isolation.isolate(records(8))).hasMessage("database went away");
        assertThat(store.written).isEmpty();
    }
}
