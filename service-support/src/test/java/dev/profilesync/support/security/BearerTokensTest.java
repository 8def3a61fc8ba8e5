package dev.profilesync.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class BearerTokensTest {

    private final BearerTokens tokens = new BearerTokens();
    private final DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();

    @Test
    void takesAJwtFromTheHeaderInAnyCaseOfTheScheme() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLV9-+/==";
        assertThat(tokens.resolve(request("Bearer " + jwt))).isEqualTo(jwt);
        assertThat(tokens.resolve(request("bEARER " + jwt))).isEqualTo(jwt);
    }

    @Test
    void noHeaderOrAnotherSchemeIsNoToken() {
        assertThat(tokens.resolve(new MockHttpServletRequest("GET", "/api/v1/profiles"))).isNull();
        assertThat(tokens.resolve(request("Basic dXNlcjpwYXNz"))).isNull();
    }

    @Test
    void aTokenInTheQueryStringIsNotTaken() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/profiles");
        request.setQueryString("access_token=abc");
        request.addParameter("access_token", "abc");
        assertThat(tokens.resolve(request)).isNull();
        request.addHeader("Authorization", "Bearer def");
        assertThat(tokens.resolve(request)).isEqualTo("def");
    }

    @Test
    void aSchemeWithoutAWellFormedTokenIsRefusedAsInvalidToken() {
        for (String header : new String[] {"Bearer", "Bearer ", "Bearer  abc", "Bearer abc def", "Bearer ab=c",
                "Bearer =", "Bearerabc", "Bearer abc\n", "Bearer \u00e9t\u00e9"}) {
            assertThatThrownBy(() -> tokens.resolve(request(header))).as(header)
                    .isInstanceOfSatisfying(OAuth2AuthenticationException.class, e -> {
                        assertThat(e.getError().getErrorCode()).isEqualTo("invalid_token");
                        assertThat(e.getError().getDescription()).isEqualTo("Bearer token is malformed");
                    });
        }
    }

    /** Whatever the header, the same answer as Spring Security's resolver with its defaults: token, none, or refusal. */
    @Property(tries = 3000)
    void answersAsSpringSecuritysDefaultResolver(@ForAll("headers") String header) {
        assertThat(outcome(tokens, header)).isEqualTo(outcome(spring, header));
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> scheme = Arbitraries.of("Bearer ", "bearer ", "BEARER ", "Bearer", "Bearer  ", "Bearer\t",
                "Bearerx", "Basic ", "bear", "", " Bearer ");
        Arbitrary<String> body = Arbitraries.strings()
                .withChars("abcXYZ019-._~+/=")
                .withChars(' ', '\t', '\n', '%', '"', ',', '\u00e9', '\u017f', '\u212a', '\u0000', '\u007f')
                .ofMinLength(0).ofMaxLength(40);
        return Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(scheme, body).as(String::concat)),
                Tuple.of(1, body));
    }

    private static String outcome(BearerTokenResolver resolver, String header) {
        try {
            return "token " + Objects.toString(resolver.resolve(request(header)));
        } catch (OAuth2AuthenticationException e) {
            return "refused " + e.getError().getErrorCode() + " " + e.getError().getDescription();
        }
    }

    private static MockHttpServletRequest request(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/profiles/abc");
        request.addHeader("Authorization", authorization);
        return request;
    }
}
