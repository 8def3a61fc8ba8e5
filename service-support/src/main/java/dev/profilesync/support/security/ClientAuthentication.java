package dev.profilesync.support.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A client authenticated by a shared secret (an intake key, a SCIM token): its configured entry, named by the
 * client's name, with one authority that opens its door.
 *
 * @param <C> the configured client
 */
public final class ClientAuthentication<C> extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient C client;

    public ClientAuthentication(String name, C client, String authority) {
        super(AuthorityUtils.createAuthorityList(authority));
        this.name = name;
        this.client = client;
        setAuthenticated(true);
    }

    /** The configured client. */
    public C client() {
        return client;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return name;
    }
}
