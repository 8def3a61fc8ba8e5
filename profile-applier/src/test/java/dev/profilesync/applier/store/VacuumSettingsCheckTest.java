package dev.profilesync.applier.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VacuumSettingsCheckTest {

    @Test
    void aServerThatVacuumsGetsNoWarning() {
        assertThat(VacuumSettingsCheck.warnings("on", "on", null)).isEmpty();
        assertThat(VacuumSettingsCheck.warnings("on", "on", "fillfactor=80")).isEmpty();
    }

    @Test
    void autovacuumOffOnTheServerIsNamed() {
        assertThat(VacuumSettingsCheck.warnings("off", "on", "fillfactor=80")).singleElement()
                .asString().contains("autovacuum = off").contains("PostgreSQL for a large store");
    }

    @Test
    void withoutTrackCountsAutovacuumIsBlind() {
        assertThat(VacuumSettingsCheck.warnings("on", "off", null)).singleElement().asString()
                .contains("track_counts = off");
    }

    @Test
    void theTableCanTurnItOffForItself() {
        assertThat(VacuumSettingsCheck.warnings("on", "on", "fillfactor=80,autovacuum_enabled=false"))
                .singleElement().asString().contains("autovacuum_enabled = false");
        assertThat(VacuumSettingsCheck.warnings("off", "on", "autovacuum_enabled=off")).hasSize(2);
    }
}
