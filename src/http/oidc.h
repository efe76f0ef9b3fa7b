/* oidc.h — where an OpenID Connect provider (ProConnect) plugs into the
 * server: designed, not wired to a provider yet (none can be reached from
 * where maillage is built; docs/api.md describes the flow). A provider is a
 * row of configuration and three steps the server would run:
 *
 *   GET /api/v1/oidc/{provider}/start   redirect to authorization_endpoint
 *        with response_type=code, client_id, redirect_uri, scope "openid
 *        email given_name usual_name siret", a random state and nonce
 *        (kept in a short-lived HttpOnly cookie) and a PKCE S256 challenge;
 *   GET /api/v1/oidc/{provider}/callback  check state, exchange the code at
 *        token_endpoint (client secret, PKCE verifier), verify the ID token
 *        (signature by the provider's JWKS, iss, aud, exp, nonce), read the
 *        claims (userinfo when the provider sends them there, as ProConnect
 *        does, signed);
 *   then ml_login_identity(db, {provider, sub, email, org}, address) opens
 *        the session as a password login does (cookie, CSRF token, audit).
 *
 * Logout ends the maillage session and, for ProConnect, redirects to its
 * end_session_endpoint with the id_token_hint. */
#ifndef ML_HTTP_OIDC_H
#define ML_HTTP_OIDC_H

typedef struct http_oidc_provider {
    const char *name;          /* "proconnect": in the routes and the audit log */
    const char *issuer;        /* https://auth.agentconnect.gouv.fr/api/v2 (discovery) */
    const char *client_id;     /* given by the provider when the service is registered */
    const char *client_secret; /* read from a file named in the configuration, never a flag */
    const char *redirect_uri;  /* https://HOST/api/v1/oidc/proconnect/callback */
    const char *scopes;        /* "openid email given_name usual_name siret" */
    /* From the issuer's /.well-known/openid-configuration, read at start: */
    const char *authorization_endpoint, *token_endpoint, *userinfo_endpoint, *jwks_uri,
        *end_session_endpoint;
} http_oidc_provider;

#endif
