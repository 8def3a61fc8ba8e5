package dev.profilesync.applier.scim;

import java.util.List;

import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a client reads to learn what this endpoint does (RFC 7643 §5–7): PATCH and filtering (eq and and) are
 * supported; bulk, sort, ETags, password changes and groups are not. The schemas list only the attributes kept.
 */
@Component
class ScimDiscovery {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ScimProperties properties;

    ScimDiscovery(ScimProperties properties) {
        this.properties = properties;
    }

    ObjectNode serviceProviderConfig(String base) {
        ObjectNode config = JSON.createObjectNode();
        config.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
        config.put("documentationUri", "https://github.com/profile-sync/profile-sync#provisioning-with-scim-20");
        config.putObject("patch").put("supported", true);
        config.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
        config.putObject("filter").put("supported", true).put("maxResults", properties.maxResults());
        config.putObject("changePassword").put("supported", false);
        config.putObject("sort").put("supported", false);
        config.putObject("etag").put("supported", false);
        ObjectNode scheme = config.putArray("authenticationSchemes").addObject();
        scheme.put("type", "oauthbearertoken");
        scheme.put("name", "Bearer token");
        scheme.put("description", "A provisioning client's token: Authorization: Bearer <token>");
        scheme.put("primary", true);
        config.putObject("meta").put("resourceType", "ServiceProviderConfig").put("location",
                base + "/ServiceProviderConfig");
        return config;
    }

    ObjectNode userResourceType(String base) {
        ObjectNode type = JSON.createObjectNode();
        type.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
        type.put("id", "User");
        type.put("name", "User");
        type.put("endpoint", "/Users");
        type.put("description", "A person's profile");
        type.put("schema", ScimUserMapping.CORE);
        type.putArray("schemaExtensions").addObject().put("schema", ScimUserMapping.ENTERPRISE).put("required", false);
        type.putObject("meta").put("resourceType", "ResourceType").put("location", base + "/ResourceTypes/User");
        return type;
    }

    List<ObjectNode> schemas(String base) {
        ObjectNode core = schema(base, ScimUserMapping.CORE, "User", "User Account");
        ArrayNode attributes = core.putArray("attributes");
        attributes.add(attribute("userName", "string", false, true, false, "server"));
        attributes.add(attribute("externalId", "string", false, false, true, "none"));
        ObjectNode name = attribute("name", "complex", false, false, false, "none");
        name.putArray("subAttributes").add(attribute("givenName", "string", false, false, false, "none"))
                .add(attribute("familyName", "string", false, false, false, "none"))
                .add(attribute("formatted", "string", false, false, false, "none"));
        attributes.add(name);
        attributes.add(attribute("displayName", "string", false, false, false, "none"));
        attributes.add(attribute("title", "string", false, false, false, "none"));
        attributes.add(attribute("preferredLanguage", "string", false, false, false, "none"));
        attributes.add(attribute("active", "boolean", false, false, false, "none"));
        attributes.add(multiValued("emails", "value", "type", "primary"));
        attributes.add(multiValued("phoneNumbers", "value", "type"));
        attributes.add(multiValued("addresses", "locality", "country", "type", "primary"));

        ObjectNode enterprise = schema(base, ScimUserMapping.ENTERPRISE, "EnterpriseUser", "Enterprise User");
        ArrayNode extension = enterprise.putArray("attributes");
        extension.add(attribute("employeeNumber", "string", false, false, false, "none"));
        extension.add(attribute("department", "string", false, false, false, "none"));
        extension.add(attribute("organization", "string", false, false, false, "none"));
        ObjectNode manager = attribute("manager", "complex", false, false, false, "none");
        manager.putArray("subAttributes").add(attribute("value", "string", false, false, false, "none"));
        extension.add(manager);
        return List.of(core, enterprise);
    }

    ObjectNode list(List<ObjectNode> resources) {
        ObjectNode response = JSON.createObjectNode();
        response.putArray("schemas").add(ScimController.LIST_SCHEMA);
        response.put("totalResults", resources.size());
        response.put("startIndex", 1);
        response.put("itemsPerPage", resources.size());
        response.putArray("Resources").addAll(resources);
        return response;
    }

    private static ObjectNode schema(String base, String id, String name, String description) {
        ObjectNode schema = JSON.createObjectNode();
        schema.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Schema");
        schema.put("id", id);
        schema.put("name", name);
        schema.put("description", description);
        schema.putObject("meta").put("resourceType", "Schema").put("location", base + "/Schemas/" + id);
        return schema;
    }

    private static ObjectNode multiValued(String name, String... subAttributes) {
        ObjectNode attribute = attribute(name, "complex", true, false, false, "none");
        ArrayNode subs = attribute.putArray("subAttributes");
        for (String sub : subAttributes) {
            subs.add(attribute(sub, sub.equals("primary") ? "boolean" : "string", false, false, false, "none"));
        }
        return attribute;
    }

    private static ObjectNode attribute(String name, String type, boolean multiValued, boolean required,
            boolean caseExact, String uniqueness) {
        ObjectNode attribute = JSON.createObjectNode();
        attribute.put("name", name);
        attribute.put("type", type);
        attribute.put("multiValued", multiValued);
        attribute.put("required", required);
        attribute.put("caseExact", caseExact);
        attribute.put("mutability", "readWrite");
        attribute.put("returned", "default");
        attribute.put("uniqueness", uniqueness);
        return attribute;
    }
}
