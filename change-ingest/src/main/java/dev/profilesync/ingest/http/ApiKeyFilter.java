package dev.profilesync.ingest.http;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.profilesync.ingest.IngestProperties;
import dev.profilesync.support.security.ClientAuthentication;
import dev.profilesync.support.security.SecretHashes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates intake clients by the key in {@code X-Api-Key}, inside Spring Security's filter chain (after its
 * firewall has refused path tricks, so the path that is authorised is the path that is routed). The presented key is
 * hashed and compared with every client's hash in constant time; it is never logged. A wrong key is refused at once;
 * no key leaves the request anonymous, and the authorisation rules refuse it.
 */
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";
    static final String CLIENT_ATTRIBUTE = ApiKeyFilter.class.getName() + ".client";

    private final List<IngestProperties.ApiClient> clients;
    private final List<byte[]> hashes;
    private final SecurityProblems problems;

    ApiKeyFilter(IngestProperties properties, SecurityProblems problems) {
        this.clients = properties.intake().apiKeys();
        this.hashes = clients.stream().map(IngestProperties.ApiClient::keyHash).toList();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented != null) {
            Optional<IngestProperties.ApiClient> client = authenticate(presented);
            if (client.isEmpty()) {
                problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                        "send a valid API key in the " + HEADER + " header");
                return;
            }
            request.setAttribute(CLIENT_ATTRIBUTE, client.get());
            SecurityContextHolder.getContext().setAuthentication(new ClientAuthentication<>(client.get().name(),
                    client.get(), IntakeSecurity.INTAKE_CLIENT));
        }
        chain.doFilter(request, response);
    }

    private Optional<IngestProperties.ApiClient> authenticate(String presented) {
        int match = SecretHashes.match(presented, hashes);
        return match < 0 ? Optional.empty() : Optional.of(clients.get(match));
    }

    /** The client a request was made by, as the intake's controllers see it. */
    static IngestProperties.ApiClient clientOf(HttpServletRequest request) {
        return (IngestProperties.ApiClient) request.getAttribute(CLIENT_ATTRIBUTE);
    }
}
