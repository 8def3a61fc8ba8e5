package dev.profilesync.photo;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import dev.profilesync.support.security.PhotoLinks;
import dev.profilesync.support.security.PhotoLinks.Verdict;
import dev.profilesync.support.security.BearerTokens;
import dev.profilesync.support.security.ServiceSecurity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may fetch thumbnails: whoever holds a signed, unexpired link (the read API hands them out with each profile,
 * so an {@code <img>} tag works without a token), or a caller with a bearer token carrying {@code Profiles.Read}. An
 * unsigned, tampered or expired link is a 403 problem with the reason. Health, info and metrics stay open on the
 * management port; everything else is denied.
 */
@Configuration(proxyBeanMethods = false)
class PhotoSecurity {

    private static final String PHOTO = "/api/v1/photos/{userId}/{size}";
    private static final String VERDICT = PhotoSecurity.class.getName() + ".verdict";

    @Bean
    PhotoLinks photoLinks(PhotoSyncProperties properties) {
        return new PhotoLinks(properties.links().secret(), properties.links().lifetime(), Clock.systemUTC());
    }

    @Bean
    SecurityFilterChain photoFilterChain(HttpSecurity http, PhotoLinks links, JsonMapper mapper) throws Exception {
        PathPatternRequestMatcher photos = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, PHOTO);
        return ServiceSecurity.statelessApi(http)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(photos).access(signedLinkOrReader(links))
                        .requestMatchers(ServiceSecurity.OPEN_OPERATIONS).permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(refusedLink(mapper), photos))
                .oauth2ResourceServer(server -> server.bearerTokenResolver(new BearerTokens())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(ServiceSecurity.appRoles())))
                .build();
    }

    private static AuthorizationManager<RequestAuthorizationContext> signedLinkOrReader(PhotoLinks links) {
        return new AuthorizationManager<>() {
            @Override
            public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                    RequestAuthorizationContext context) {
                HttpServletRequest request = context.getRequest();
                Map<String, String> path = context.getVariables();
                Verdict verdict = links.verify(path.get("userId"), path.get("size"), request.getParameter("expires"),
                        request.getParameter("signature"));
                request.setAttribute(VERDICT, verdict);
                if (verdict == Verdict.VALID) {
                    return new AuthorizationDecision(true);
                }
                Authentication caller = authentication.get();
                boolean reader = caller != null && caller.isAuthenticated()
                        && !(caller instanceof AnonymousAuthenticationToken)
                        && caller.getAuthorities().stream()
                                .anyMatch(authority -> ServiceSecurity.READ.equals(authority.getAuthority()));
                return new AuthorizationDecision(reader);
            }
        };
    }

    /** A request without a token whose link does not open the photo: 403 and why. */
    private static AuthenticationEntryPoint refusedLink(JsonMapper mapper) {
        return (request, response, e) -> {
            Verdict verdict = (Verdict) request.getAttribute(VERDICT);
            String reason;
            String detail;
            if (verdict == Verdict.EXPIRED) {
                reason = "photo-link-expired";
                detail = "this photo link has expired; read the profile again for a fresh one";
            } else if (verdict == Verdict.BAD_SIGNATURE) {
                reason = "photo-link-invalid";
                detail = "this photo link's signature does not match it";
            } else {
                reason = "photo-link-missing";
                detail = "photos are served through the signed links in a profile's photo field, or with a bearer "
                        + "token carrying " + ServiceSecurity.READ;
            }
            write(mapper, response, reason, detail);
        };
    }

    private static void write(JsonMapper mapper, HttpServletResponse response, String reason, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail);
        problem.setType(URI.create("https://profile-sync.dev/problems/" + reason));
        problem.setProperty("reason", reason);
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(mapper.writeValueAsBytes(problem));
    }
}
