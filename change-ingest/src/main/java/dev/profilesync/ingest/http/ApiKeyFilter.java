package dev.profilesync.ingest.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.profilesync.ingest.IngestProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api/} request must carry a configured key in {@code X-Api-Key}; the key is compared in constant time
 * and never logged. The client's name is kept on the request for logs and metrics.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";
    static final String CLIENT_ATTRIBUTE = ApiKeyFilter.class.getName() + ".client";

    private final List<IngestProperties.ApiClient> clients;
    private final JsonMapper mapper;

    ApiKeyFilter(IngestProperties properties, JsonMapper mapper) {
        this.clients = properties.intake().apiKeys();
        this.mapper = mapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<IngestProperties.ApiClient> client = authenticate(request.getHeader(HEADER));
        if (client.isEmpty()) {
            ProblemDetail problem = IntakeProblems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "send a valid API key in the " + HEADER + " header");
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.setHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(mapper.writeValueAsBytes(problem));
            return;
        }
        request.setAttribute(CLIENT_ATTRIBUTE, client.get().name());
        chain.doFilter(request, response);
    }

    private Optional<IngestProperties.ApiClient> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        IngestProperties.ApiClient match = null;
        for (IngestProperties.ApiClient client : clients) {
            if (MessageDigest.isEqual(candidate, client.key().getBytes(StandardCharsets.UTF_8))) {
                match = client;
            }
        }
        return Optional.ofNullable(match);
    }
}
