package dev.profilesync.applier.scim;

import java.io.IOException;

import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Every refusal of the SCIM controller as a SCIM error body, never an HTML page or a Spring problem detail. */
@RestControllerAdvice(assignableTypes = ScimController.class)
class ScimErrors {

    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String SCIM_JSON = "application/scim+json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ExceptionHandler(ScimException.class)
    ResponseEntity<String> scim(ScimException e) {
        return respond(e.status(), e.scimType(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<String> unreadable(HttpMessageNotReadableException e) {
        return respond(400, "invalidSyntax", "the request body is not a JSON object");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<String> badParameter(MethodArgumentTypeMismatchException e) {
        return respond(400, "invalidValue", "the parameter " + e.getName() + " must be a number");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
        return respond(405, null, e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(415, null, "send application/scim+json or application/json");
    }

    static ResponseEntity<String> respond(int status, String scimType, String detail) {
        return ResponseEntity.status(status).header("Content-Type", SCIM_JSON).body(body(status, scimType, detail));
    }

    static String body(int status, String scimType, String detail) {
        ObjectNode error = JSON.createObjectNode();
        error.putArray("schemas").add(ERROR_SCHEMA);
        error.put("status", String.valueOf(status));
        if (scimType != null) {
            error.put("scimType", scimType);
        }
        error.put("detail", detail);
        return JSON.writeValueAsString(error);
    }

    /** For the security layer, which answers before any controller. */
    static void write(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(SCIM_JSON);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"profile-sync SCIM\"");
        }
        response.getWriter().write(body(status, null, detail));
    }
}
