package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The Kubernetes manifests, read into the Kubernetes model: names, ports, probes and environment variables must match
 * the services they deploy, and the applier's autoscaler must scale on sync delay, capped at the partition count.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("../k8s");

    @Test
    void deploymentsMatchTheServicesTheyRun() throws IOException {
        List<HasMetadata> resources = resources();
        assertDeployment(resources, "change-ingest", "change-ingest.yml", 8081, 8181);
        assertDeployment(resources, "profile-applier", "profile-applier.yml", 8082, 8182);
        assertDeployment(resources, "profile-reads", "profile-applier.yml", 8082, 8182);
        assertDeployment(resources, "photo-sync", "photo-sync.yml", 8083, 8183);
        assertDeployment(resources, "directory-sync", "directory-sync.yml", 8084, 8184);
        assertDeployment(resources, "sync-monitor", "sync-monitor.yml", 8085, 8185);
    }

    @Test
    void networkPoliciesLetOnlyTheIngressReachTheApisAndOnlyPrometheusTheManagementPorts() throws IOException {
        List<HasMetadata> resources = resources();
        NetworkPolicy deny = find(resources, NetworkPolicy.class, "default-deny-ingress");
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(deny.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();

        NetworkPolicy api = find(resources, NetworkPolicy.class, "api-from-ingress");
        assertThat(api.getSpec().getPodSelector().getMatchExpressions().get(0).getValues())
                .containsExactlyInAnyOrder("change-ingest", "profile-applier", "profile-reads", "photo-sync",
                        "directory-sync");
        assertThat(api.getSpec().getIngress()).hasSize(1);
        assertThat(api.getSpec().getIngress().get(0).getPorts()).extracting(port -> port.getPort().getStrVal())
                .containsExactly("http");
        assertThat(api.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels())
                .containsKey("kubernetes.io/metadata.name");

        NetworkPolicy management = find(resources, NetworkPolicy.class, "management-from-prometheus");
        assertThat(management.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/part-of", "profile-sync"));
        assertThat(management.getSpec().getIngress().get(0).getPorts())
                .extracting(port -> port.getPort().getStrVal()).containsExactly("management");
        assertThat(management.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "prometheus");

        for (String name : List.of("change-ingest", "profile-applier", "profile-reads", "photo-sync", "directory-sync",
                "sync-monitor")) {
            Deployment deployment = find(resources, Deployment.class, name);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .as("the management policy selects " + name)
                    .containsEntry("app.kubernetes.io/part-of", "profile-sync");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExampleSecretIsNeverApplied() throws IOException {
        Map<String, Object> kustomization = new Yaml().load(Files.readString(K8S.resolve("kustomization.yml")));
        assertThat((List<Object>) kustomization.get("resources")).doesNotContain("secret.example.yml");
        assertThat(resources()).noneMatch(resource -> resource.getKind().equals("Secret"));
    }

    @Test
    void directorySyncRunsAStandbyThatReceivesNotificationsToo() throws IOException {
        List<HasMetadata> resources = resources();
        Deployment directory = find(resources, Deployment.class, "directory-sync");
        assertThat(directory.getSpec().getReplicas()).as("an active instance and a standby").isEqualTo(2);
        assertThat(directory.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
        assertThat(find(resources, ConfigMap.class, "profile-sync").getData())
                .containsKey("PROFILE_SYNC_DIRECTORY_WEBHOOK_NOTIFICATION_URL");
        assertThat(find(resources, Deployment.class, "sync-monitor").getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void applierScalesOnSyncDelayInSecondsUpToThePartitionCount() throws IOException {
        List<HasMetadata> resources = resources();
        GenericKubernetesResource scaler = resources.stream().filter(r -> r.getKind().equals("ScaledObject"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        Map<String, Object> spec = scaler.get("spec");
        assertThat(((Map<?, ?>) spec.get("scaleTargetRef")).get("name")).isEqualTo("profile-applier");
        assertThat(find(resources, Deployment.class, "profile-applier")).isNotNull();
        Map<?, ?> trigger = (Map<?, ?>) ((List<?>) spec.get("triggers")).get(0);
        assertThat(trigger.get("type")).isEqualTo("prometheus");
        assertThat(String.valueOf(((Map<?, ?>) trigger.get("metadata")).get("query")))
                .contains("profile_sync_lag_seconds").contains("group=\"profile-applier\"");
        ConfigMap config = find(resources, ConfigMap.class, "profile-sync");
        int partitions = Integer.parseInt(config.getData().get("PROFILE_SYNC_APPLIER_TOPICS_PARTITIONS"));
        assertThat((Integer) spec.get("maxReplicaCount")).isLessThanOrEqualTo(partitions);
        assertThat(config.getData().get("PROFILE_SYNC_INGEST_TOPICS_PARTITIONS")).isEqualTo(String.valueOf(partitions));
    }

    @Test
    void readReplicasRunTheApplierImageApplyingNothingAndScaleOnCpu() throws IOException {
        List<HasMetadata> resources = resources();
        Container replica = find(resources, Deployment.class, "profile-reads").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        Container applier = find(resources, Deployment.class, "profile-applier").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(replica.getImage()).isEqualTo(applier.getImage());
        assertThat(replica.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("PROFILE_SYNC_APPLIER_APPLY");
            assertThat(env.getValue()).isEqualTo("false");
        });
        assertThat(applier.getEnv()).noneMatch(env -> env.getName().equals("PROFILE_SYNC_APPLIER_APPLY"));
        HorizontalPodAutoscaler autoscaler = find(resources, HorizontalPodAutoscaler.class, "profile-reads");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo("profile-reads");
        assertThat(autoscaler.getSpec().getMetrics()).singleElement()
                .satisfies(metric -> assertThat(metric.getResource().getName()).isEqualTo("cpu"));
    }

    @Test
    void everyConfigMapEntryIsASettingOfAService() throws IOException {
        Set<String> known = new HashSet<>(settingsOf("change-ingest.yml"));
        known.addAll(settingsOf("profile-applier.yml"));
        known.addAll(settingsOf("photo-sync.yml"));
        known.addAll(settingsOf("directory-sync.yml"));
        known.addAll(settingsOf("sync-monitor.yml"));
        ConfigMap config = find(resources(), ConfigMap.class, "profile-sync");
        config.getData().keySet().forEach(name -> assertThat(bindsToAKnownSetting(name, known)).as(name).isTrue());
    }

    /** Spring Boot's own settings the deployments set, beyond those in the services' configuration files. */
    private static final List<String> BOOT_SETTINGS = List.of("spring.security.oauth2.resourceserver.jwt.issuer-uri",
            "spring.security.oauth2.resourceserver.jwt.audiences", "spring.datasource.hikari.maximum-pool-size");

    private static void assertDeployment(List<HasMetadata> resources, String name, String configFile, int port,
            int managementPort) throws IOException {
        Deployment deployment = find(resources, Deployment.class, name);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/name", name));
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(port);
        assertThat(container.getPorts().get(0).getName()).isEqualTo("http");
        assertThat(valueOf(configFile, "server.port")).isEqualTo(port);
        assertThat(container.getPorts().get(1).getName()).isEqualTo("management");
        assertThat(container.getPorts().get(1).getContainerPort()).isEqualTo(managementPort);
        assertThat(valueOf(configFile, "management.server.port")).as("operations apart from data")
                .isEqualTo(managementPort);
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", String.valueOf(managementPort))
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
        Set<String> known = new HashSet<>(settingsOf(configFile));
        known.addAll(BOOT_SETTINGS);
        for (EnvVar env : container.getEnv()) {
            if (!env.getName().equals("JAVA_TOOL_OPTIONS")) {
                assertThat(bindsToAKnownSetting(env.getName(), known)).as(name + " " + env.getName()).isTrue();
            }
        }
        Service service = find(resources, Service.class, name);
        assertThat(service.getSpec().getPorts()).as("a Service exposes the API, never the management port")
                .singleElement().satisfies(servicePort -> assertThat(servicePort.getPort()).isEqualTo(port));
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("app.kubernetes.io/name", name));
    }

    /** Spring Boot's relaxed binding, reduced to a comparison of canonical forms (list indexes dropped). */
    private static boolean bindsToAKnownSetting(String environmentVariable, Set<String> settings) {
        String canonical = canonical(environmentVariable.replaceAll("_\\d+_", "_"));
        return settings.stream().map(KubernetesManifestsTest::canonical).anyMatch(canonical::startsWith);
    }

    private static String canonical(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }

    /** The value of one property path of a service's configuration file. */
    private static Object valueOf(String resource, String path) throws IOException {
        try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream(resource)) {
            Object node = new Yaml().load(in);
            for (String key : path.split("\\.")) {
                node = ((Map<?, ?>) node).get(key);
            }
            return node;
        }
    }

    /** Every property path of a service's configuration file, e.g. {@code spring.kafka.bootstrap-servers}. */
    private static List<String> settingsOf(String resource) throws IOException {
        try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream(resource)) {
            List<String> paths = new ArrayList<>();
            flatten("", new Yaml().load(in), paths);
            return paths;
        }
    }

    private static void flatten(String prefix, Object node, List<String> paths) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, value, paths));
        } else {
            paths.add(prefix);
        }
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> resources, Class<T> type, String name) {
        return resources.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static List<HasMetadata> resources() throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        Map<String, Object> kustomization = new Yaml().load(Files.readString(K8S.resolve("kustomization.yml")));
        List<?> listed = (List<?>) kustomization.get("resources");
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("kustomization.yml")) {
                    continue;
                }
                for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
                    if (!document.isBlank()) {
                        HasMetadata resource = Serialization.unmarshal(document);
                        assertThat(resource.getMetadata().getName()).as(name).isNotBlank();
                        if (listed.contains(name)) {
                            resources.add(resource);
                        }
                    }
                }
            }
        }
        return resources;
    }
}
