package dev.profilesync.applier.scim;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.profilesync.applier.scim.ScimUsers.Current;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /scim/v2}: Users, and the discovery endpoints a client reads first. */
@RestController
@RequestMapping("/scim/v2")
class ScimController {

    static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ScimUsers users;
    private final ScimProperties properties;
    private final ScimDiscovery discovery;

    ScimController(ScimUsers users, ScimProperties properties, ScimDiscovery discovery) {
        this.users = users;
        this.properties = properties;
        this.discovery = discovery;
    }

    @GetMapping("/Users/{id}")
    ResponseEntity<String> get(@PathVariable String id, @RequestParam(required = false) String attributes,
            @RequestParam(required = false) String excludedAttributes) {
        Current user = users.find(id).orElseThrow(() -> ScimException.notFound(id));
        return ok(200, project(resource(user), attributes, excludedAttributes));
    }

    @GetMapping("/Users")
    ResponseEntity<String> list(@RequestParam(required = false) String filter,
            @RequestParam(defaultValue = "1") int startIndex, @RequestParam(required = false) Integer count,
            @RequestParam(required = false) String attributes,
            @RequestParam(required = false) String excludedAttributes) {
        List<ScimFilter.Condition> conditions = filter == null || filter.isBlank() ? List.of()
                : ScimFilter.parse(filter);
        int first = Math.max(1, startIndex);
        int size = Math.max(0, Math.min(count == null ? properties.maxResults() : count, properties.maxResults()));
        long[] total = new long[1];
        List<Current> found = size == 0 ? List.of() : users.list(conditions, first - 1, size, total);
        if (size == 0) {
            users.list(conditions, 0, 1, total);
        }
        ObjectNode response = JSON.createObjectNode();
        response.putArray("schemas").add(LIST_SCHEMA);
        response.put("totalResults", total[0]);
        response.put("startIndex", first);
        response.put("itemsPerPage", found.size());
        ArrayNode resources = response.putArray("Resources");
        for (Current user : found) {
            resources.add(project(resource(user), attributes, excludedAttributes));
        }
        return ok(200, response);
    }

    @PostMapping("/Users")
    ResponseEntity<String> create(HttpServletRequest request) {
        Current user = users.create(ScimSecurity.clientOf(request), body(request));
        ObjectNode resource = resource(user);
        return ResponseEntity.created(URI.create(location(user.id()))).header("Content-Type", ScimErrors.SCIM_JSON)
                .body(JSON.writeValueAsString(resource));
    }

    @PutMapping("/Users/{id}")
    ResponseEntity<String> replace(@PathVariable String id, HttpServletRequest request) {
        return ok(200, resource(users.replace(ScimSecurity.clientOf(request), id, body(request))));
    }

    @PatchMapping("/Users/{id}")
    ResponseEntity<String> patch(@PathVariable String id, HttpServletRequest request) {
        return ok(200, resource(users.patch(ScimSecurity.clientOf(request), id, body(request), location(id))));
    }

    @DeleteMapping("/Users/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, HttpServletRequest request) {
        users.delete(ScimSecurity.clientOf(request), id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/ServiceProviderConfig")
    ResponseEntity<String> serviceProviderConfig() {
        return ok(200, discovery.serviceProviderConfig(base()));
    }

    @GetMapping("/ResourceTypes")
    ResponseEntity<String> resourceTypes() {
        return ok(200, discovery.list(List.of(discovery.userResourceType(base()))));
    }

    @GetMapping("/ResourceTypes/{name}")
    ResponseEntity<String> resourceType(@PathVariable String name) {
        if (!name.equals("User")) {
            throw new ScimException(404, null, "no resource type " + name);
        }
        return ok(200, discovery.userResourceType(base()));
    }

    @GetMapping("/Schemas")
    ResponseEntity<String> schemas() {
        return ok(200, discovery.list(discovery.schemas(base())));
    }

    @GetMapping("/Schemas/{id}")
    ResponseEntity<String> schema(@PathVariable String id) {
        return discovery.schemas(base()).stream().filter(schema -> schema.get("id").asString().equals(id))
                .findFirst().map(schema -> ok(200, schema))
                .orElseThrow(() -> new ScimException(404, null, "no schema " + id));
    }

    private ObjectNode resource(Current user) {
        return ScimUserMapping.toScim(user.id(), user.fields(), user.lastModified(), user.version(),
                location(user.id()));
    }

    private ObjectNode body(HttpServletRequest request) {
        long limit = properties.maxBodySize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw new ScimException(413, null, "the request body is larger than " + limit + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new ScimException(413, null, "the request body is larger than " + limit + " bytes");
            }
            JsonNode node = JSON.readTree(bytes);
            if (!(node instanceof ObjectNode object)) {
                throw ScimException.invalidSyntax("the request body must be a JSON object");
            }
            return object;
        } catch (JacksonException e) {
            throw ScimException.invalidSyntax("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ScimException.invalidSyntax("the request body could not be read");
        }
    }

    /** Only the attributes asked for ({@code id} and {@code schemas} always), or all but those excluded. */
    private static ObjectNode project(ObjectNode resource, String attributes, String excluded) {
        if (attributes != null && !attributes.isBlank()) {
            Set<String> wanted = names(attributes);
            wanted.add("id");
            wanted.add("schemas");
            ObjectNode projected = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> attribute : resource.properties()) {
                String name = attribute.getKey().toLowerCase(Locale.ROOT);
                if (wanted.contains(name)) {
                    projected.set(attribute.getKey(), attribute.getValue());
                } else if (attribute.getValue() instanceof ObjectNode complex) {
                    ObjectNode part = JSON.createObjectNode();
                    for (Map.Entry<String, JsonNode> sub : complex.properties()) {
                        if (wanted.contains(name + "." + sub.getKey().toLowerCase(Locale.ROOT))
                                || wanted.contains(name + ":" + sub.getKey().toLowerCase(Locale.ROOT))) {
                            part.set(sub.getKey(), sub.getValue());
                        }
                    }
                    if (!part.isEmpty()) {
                        projected.set(attribute.getKey(), part);
                    }
                }
            }
            return projected;
        }
        if (excluded != null && !excluded.isBlank()) {
            Set<String> unwanted = names(excluded);
            unwanted.remove("id");
            unwanted.remove("schemas");
            resource.properties().removeIf(attribute -> unwanted.contains(attribute.getKey().toLowerCase(Locale.ROOT)));
        }
        return resource;
    }

    private static Set<String> names(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT))
                .map(name -> name.startsWith(ScimUserMapping.CORE.toLowerCase(Locale.ROOT) + ":")
                        ? name.substring(ScimUserMapping.CORE.length() + 1) : name)
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }

    private static String base() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/scim/v2").toUriString();
    }

    private static String location(String id) {
        return base() + "/Users/" + id;
    }

    private static ResponseEntity<String> ok(int status, JsonNode body) {
        return ResponseEntity.status(status).header("Content-Type", ScimErrors.SCIM_JSON)
                .body(JSON.writeValueAsString(body));
    }
}
