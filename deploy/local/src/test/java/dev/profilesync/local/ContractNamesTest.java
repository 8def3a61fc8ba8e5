package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.DirectoryStateKeys;
import dev.profilesync.events.Topics;

/**
 * Every Kafka name lives in the contract module. Constants are inlined by the compiler, so this reads the sources of
 * every other module's main code: no string literal may be a topic, dead-letter topic or state key; every listener
 * and every consumer created by hand takes its group from {@link ConsumerGroups}; no configuration file sets a group.
 */
class ContractNamesTest {

    private static final Path ROOT = Path.of("../..");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void noTopicOrStateKeyIsSpelledOutsideTheContract() {
        Set<String> names = contractNames();
        List<String> found = new ArrayList<>();
        for (Path source : mainSources(".java")) {
            String text = read(source);
            Matcher literal = LITERAL.matcher(text);
            while (literal.find()) {
                String value = literal.group(1);
                if (names.contains(value) || value.startsWith("directory.")) {
                    found.add(ROOT.relativize(source) + ": \"" + value + "\"");
                }
            }
        }
        assertThat(found).as("topic or state-key literals outside change-events").isEmpty();
    }

    @Test
    void everyConsumerGroupComesFromTheContract() {
        List<String> found = new ArrayList<>();
        for (Path source : mainSources(".java")) {
            String text = read(source).replaceAll("\\s+", " ");
            Matcher listener = Pattern.compile("@KafkaListener\\(([^)]*)\\)").matcher(text);
            while (listener.find()) {
                String attributes = listener.group(1);
                if (!attributes.matches(".*\\bid = ConsumerGroups\\.[A-Z_]+.*")
                        || !attributes.matches(".*\\bgroupId = ConsumerGroups\\.[A-Z_]+.*")) {
                    found.add(ROOT.relativize(source) + ": @KafkaListener(" + attributes + ")");
                }
            }
            if (text.matches(".*GROUP_ID_CONFIG, \".*") || text.matches(".*createConsumer\\(\".*")) {
                found.add(ROOT.relativize(source) + ": a consumer group given as a literal");
            }
        }
        for (Path config : mainSources(".yml")) {
            if (read(config).contains("group-id:")) {
                found.add(ROOT.relativize(config) + ": sets spring.kafka.consumer.group-id");
            }
        }
        assertThat(found).as("consumer groups not taken from ConsumerGroups").isEmpty();
    }

    @Test
    void transactionalIdsBeginAsTheirAclsSay() {
        for (Path config : mainSources(".yml")) {
            Matcher prefix = Pattern.compile("transaction-id-prefix: (\\S+)").matcher(read(config));
            while (prefix.find()) {
                assertThat(prefix.group(1)).as(ROOT.relativize(config).toString())
                        .startsWith(dev.profilesync.events.ConsumerGroups.INTAKE_TRANSACTIONAL_ID_PREFIX);
            }
        }
    }

    @Test
    void theCheckSeesTheModulesItGuards() {
        assertThat(mainSources(".java")).extracting(path -> ROOT.relativize(path).getName(0).toString())
                .contains("change-ingest", "directory-sync", "profile-applier", "photo-sync", "sync-monitor");
    }

    /** Topic names with their dead-letter twins, and the state keys. */
    private static Set<String> contractNames() {
        Set<String> names = new HashSet<>();
        for (Topics.Declaration topic : Topics.ALL) {
            names.add(topic.name());
            names.add(Topics.deadLetterOf(topic.name()));
        }
        names.addAll(constants(DirectoryStateKeys.class));
        assertThat(names).contains(Topics.USER_CHANGES, DirectoryStateKeys.DELTA_LINK);
        return names;
    }

    private static List<String> constants(Class<?> type) {
        List<String> values = new ArrayList<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    values.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }

    /** Main sources of every module but the contract (tests, the simulator and the bench may spell names). */
    private static List<Path> mainSources(String suffix) {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(path -> path.toString().endsWith(suffix))
                    .filter(path -> path.toString().contains("/src/main/"))
                    .filter(path -> !path.startsWith(ROOT.resolve("change-events"))
                            && !path.startsWith(ROOT.resolve("bench"))
                            && !path.startsWith(ROOT.resolve("directory-simulator")))
                    .filter(path -> !path.toString().contains("/target/") && !path.toString().contains("/.git/"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
