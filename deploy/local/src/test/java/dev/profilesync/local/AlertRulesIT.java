package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The alert rules' own unit tests, run by {@code promtool test rules}, and a syntax check of every rule file. */
class AlertRulesIT {

    @Test
    void ruleFilesAreValidAndTheirUnitTestsPass() throws Exception {
        Path promtool = PrometheusServer.binary("promtool");
        List<String> check = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        List<String> test = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        try (Stream<Path> rules = Files.list(PrometheusServer.RULES);
                Stream<Path> tests = Files.list(PrometheusServer.RULES.resolveSibling("tests"))) {
            rules.forEach(file -> check.add(file.toString()));
            tests.forEach(file -> test.add(file.toString()));
        }
        assertThat(run(check)).contains("SUCCESS");
        assertThat(run(test)).contains("SUCCESS");
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
