//! The `Origin` check of both HTTP faces (`isf serve`, `isf mcp --http`): a browser sends
//! `Origin` with the requests a page makes, so a page from another site could otherwise drive
//! a server on this machine (MCP's transport rules require the check for local servers).
//!
//! - No `Origin` header: allowed (curl, SDKs, agents: clients that are not browsers).
//! - `http://` or `https://` `localhost`, `127.0.0.1` or `[::1]`, any port: allowed.
//! - An origin named by `--allow-origin URL`: allowed (scheme, host and port must match; a
//!   missing port is the scheme's default).
//! - Anything else (another site, `null`, text that is not an origin): 403, as JSON.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ServiceError;

/// A web origin: scheme, host and port (the scheme's default when the text has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    /// Reads `scheme://host[:port]`, as a browser writes an `Origin` header (a trailing `/` is
    /// allowed, for origins typed on a command line).
    pub fn parse(text: &str) -> Result<Origin, String> {
        let uri: Uri = text
            .trim()
            .parse()
            .map_err(|e| format!("\"{text}\" is not an origin (scheme://host[:port]): {e}"))?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err(format!(
                "\"{text}\" is not an origin: it needs a scheme and a host, like http://localhost:3000"
            ));
        };
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(format!(
                "\"{text}\" is not an origin: an origin has no path (scheme://host[:port])"
            ));
        }
        if authority.as_str().contains('@') {
            return Err(format!(
                "\"{text}\" is not an origin: an origin has no user name"
            ));
        }
        let scheme = scheme.to_ascii_lowercase();
        let port = authority.port_u16().or(match scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        });
        Ok(Origin {
            host: authority.host().to_ascii_lowercase(),
            scheme,
            port,
        })
    }

    /// A page served from this machine over HTTP(S), on any port.
    fn is_loopback(&self) -> bool {
        matches!(self.scheme.as_str(), "http" | "https")
            && matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        match self.port {
            Some(p) => write!(f, ":{p}"),
            None => Ok(()),
        }
    }
}

/// The origins a server answers besides its own machine's (`--allow-origin`).
pub type Allowed = Arc<Vec<Origin>>;

/// Whether a request with these headers may be answered; the refusal names the origin.
pub fn check(headers: &HeaderMap, allowed: &[Origin]) -> Result<(), ServiceError> {
    for value in headers.get_all(header::ORIGIN) {
        let text = String::from_utf8_lossy(value.as_bytes());
        let ok = Origin::parse(&text).is_ok_and(|o| o.is_loopback() || allowed.contains(&o));
        if !ok {
            return Err(ServiceError::Forbidden {
                field: "Origin".into(),
                message: format!(
                    "Origin \"{text}\" is not allowed: this server answers pages from localhost, 127.0.0.1 or [::1] (any port) and the origins named by --allow-origin"
                ),
            });
        }
    }
    Ok(())
}

/// Middleware: refuses a request whose `Origin` is not allowed ([`check`]) with 403.
pub async fn guard(State(allowed): State<Allowed>, req: Request, next: Next) -> Response {
    match check(req.headers(), &allowed) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_origin(origins: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for o in origins {
            h.append(header::ORIGIN, HeaderValue::from_static(o));
        }
        h
    }

    #[test]
    fn loopback_pages_and_named_origins_pass_others_are_refused() {
        let allowed = [Origin::parse("https://app.example.com").unwrap()];
        for ok in [
            &[][..],
            &["http://localhost:1234"],
            &["http://localhost"],
            &["https://127.0.0.1:8443"],
            &["http://[::1]:3000"],
            &["HTTP://LOCALHOST:5"],
            &["https://app.example.com"],
            &["https://app.example.com:443"],
        ] {
            assert!(check(&with_origin(ok), &allowed).is_ok(), "{ok:?}");
        }
        for refused in [
            &["http://evil.example"][..],
            &["null"],
            &["http://localhost.evil.example"],
            &["http://127.0.0.1.evil.example:80"],
            &["ftp://localhost"],
            &["http://app.example.com"],
            &["https://app.example.com:8443"],
            &["not an origin"],
            &["http://localhost:1234", "http://evil.example"],
        ] {
            let e = check(&with_origin(refused), &allowed).unwrap_err();
            assert_eq!(e.status(), 403, "{refused:?}");
            assert_eq!(e.field(), Some("Origin"));
        }
        let e = check(&with_origin(&["http://evil.example"]), &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Origin \"http://evil.example\" is not allowed: this server answers pages from localhost, 127.0.0.1 or [::1] (any port) and the origins named by --allow-origin"
        );
    }

    #[test]
    fn allow_origin_values_are_origins() {
        assert_eq!(
            Origin::parse("https://App.Example.com/")
                .unwrap()
                .to_string(),
            "https://app.example.com:443"
        );
        assert_eq!(
            Origin::parse("http://[::1]:8080").unwrap().to_string(),
            "http://[::1]:8080"
        );
        for bad in [
            "app.example.com",
            "https://app.example.com/page",
            "https://app.example.com/?q=1",
            "https://user@app.example.com",
            "",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }
}
