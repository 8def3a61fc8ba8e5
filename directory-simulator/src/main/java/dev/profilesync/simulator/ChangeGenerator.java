package dev.profilesync.simulator;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes the tenant live: at a configurable rate, attribute edits (80 %), photo changes (10 %), hires (6 %) and
 * leavers (4 %), picked at random among present users.
 */
final class ChangeGenerator implements AutoCloseable {

    private final Tenant tenant;
    private final Random random;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "graph-simulator-changes"));
    private ScheduledFuture<?> running;
    private double perSecond;

    ChangeGenerator(Tenant tenant, long seed) {
        this.tenant = tenant;
        this.random = new Random(seed);
    }

    synchronized void rate(double changesPerSecond) {
        if (running != null) {
            running.cancel(false);
            running = null;
        }
        perSecond = changesPerSecond;
        if (changesPerSecond > 0) {
            long periodMicros = Math.max(1000, (long) (1_000_000 / Math.min(changesPerSecond, 1000)));
            int perTick = (int) Math.max(1, Math.round(changesPerSecond * periodMicros / 1_000_000.0));
            running = scheduler.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perTick; i++) {
                    one();
                }
            }, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    synchronized double rate() {
        return perSecond;
    }

    private void one() {
        int size = tenant.size();
        int index = random.nextInt(size);
        if (!tenant.exists(index)) {
            return;
        }
        String id = tenant.idOf(index);
        int dice = random.nextInt(100);
        if (dice < 80) {
            String attribute = switch (random.nextInt(4)) {
                case 0 -> "jobTitle";
                case 1 -> "department";
                case 2 -> "officeLocation";
                default -> "mobilePhone";
            };
            Object value = switch (attribute) {
                case "jobTitle" -> SyntheticPeople.TITLES[random.nextInt(SyntheticPeople.TITLES.length)];
                case "department" -> SyntheticPeople.DEPARTMENTS[random.nextInt(SyntheticPeople.DEPARTMENTS.length)];
                case "officeLocation" -> SyntheticPeople.OFFICES[random.nextInt(SyntheticPeople.OFFICES.length)];
                default -> String.format("+47 %08d", random.nextInt(100_000_000));
            };
            tenant.update(id, Map.of(attribute, value));
        } else if (dice < 90) {
            tenant.changePhoto(id, null);
        } else if (dice < 96) {
            tenant.hire();
        } else if (tenant.presentUsers() > 1) {
            tenant.delete(id);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
