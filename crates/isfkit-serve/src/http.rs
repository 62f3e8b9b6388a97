//! `isf serve`: JSON over HTTP (axum).
//!
//! - `POST /validate`, `POST /info`, `POST /render` take the MCP tools' arguments as a JSON
//!   object. `/render` answers JSON with base64 frames (JPEG unless `format` is `png`), or the
//!   image itself for one frame when the client's `Accept` prefers `image/png` or
//!   `image/jpeg` ([`crate::accept`]).
//! - `GET /healthz` (no token needed), `GET /metrics` (OpenMetrics text, which Prometheus scrapes).
//! - Errors: `{"success": false, "errors": [...], "error": {kind, field, message}}` with 400
//!   (bad field), 401 (token), 403 (path outside the allowed folder, or a browser page's
//!   `Origin` that is not allowed: [`crate::origin`]), 404, 406 (`Accept` admits
//!   none of the route's types), 413 (body over the
//!   limit), 422 (invalid shader, with diagnostics), 503 (busy; `Retry-After`), 504 (deadline).

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::error::ServiceError;
use crate::service::Service;

fn json_response(status: u16, v: &Value) -> Response {
    let mut r = Response::new(Body::from(v.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn error_response(e: &ServiceError) -> Response {
    let mut r = json_response(e.status(), &e.to_json());
    let retry = match e {
        ServiceError::Busy { retry_after, .. } => Some(*retry_after),
        ServiceError::ShuttingDown => Some(5),
        _ => None,
    };
    if let Some(s) = retry {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    r
}

/// The body as JSON, or the error that names what is wrong with it.
fn body_json(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Value, ServiceError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ServiceError::TooLarge { limit }
        } else {
            ServiceError::BadRequest {
                field: Some("body".into()),
                message: format!("cannot read the request body: {e}"),
            }
        }
    })?;
    if body.is_empty() {
        return Err(ServiceError::BadRequest {
            field: Some("body".into()),
            message:
                "the request body is empty: send a JSON object (Content-Type: application/json)"
                    .into(),
        });
    }
    serde_json::from_slice(&body).map_err(|e| ServiceError::BadRequest {
        field: Some("body".into()),
        message: format!("the request body is not valid JSON: {e}"),
    })
}

/// A route that takes a JSON body to `call` and answers JSON (`/validate`, `/info`), counted
/// in the metrics as `route`.
async fn json_route(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    route: &'static str,
    call: impl AsyncFnOnce(&Service, Value) -> Result<Value, ServiceError>,
) -> Response {
    let started = Instant::now();
    let r = match negotiate(&headers, JSON_ONLY)
        .and_then(|_| body_json(body, svc.config.limits.max_body))
    {
        Ok(args) => call(&svc, args).await,
        Err(e) => Err(e),
    };
    svc.record(route, started, &r);
    match r {
        Ok(v) => json_response(200, &v),
        Err(e) => error_response(&e),
    }
}

/// What `/validate` and `/info` answer with.
const JSON_ONLY: &[&str] = &["application/json"];

/// What `/render` answers with, the default first: JSON, or one frame as the image itself.
const RENDER_TYPES: &[&str] = &["application/json", "image/png", "image/jpeg"];

/// Of `offered`, the media type the client's `Accept` headers prefer; 406 when they admit none.
fn negotiate(headers: &HeaderMap, offered: &[&'static str]) -> Result<&'static str, ServiceError> {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let accept = (!values.is_empty()).then(|| values.join(", "));
    crate::accept::negotiate(accept.as_deref(), offered).ok_or_else(|| {
        ServiceError::NotAcceptable {
            accept: accept.unwrap_or_default(),
            offered: offered.join(", "),
        }
    })
}

async fn render(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let started = Instant::now();
    let negotiated = negotiate(&headers, RENDER_TYPES);
    // The image format when the client prefers an image to JSON.
    let raw = match negotiated {
        Ok("image/png") => Some("png"),
        Ok("image/jpeg") => Some("jpeg"),
        _ => None,
    };
    let r = async {
        negotiated?;
        let mut args = body_json(body, svc.config.limits.max_body)?;
        if let Some(format) = raw {
            let frames = match args.get("time_codes") {
                Some(Value::Array(a)) => a.len(),
                _ => 1,
            };
            if frames != 1 {
                return Err(ServiceError::BadRequest {
                    field: Some("time_codes".into()),
                    message: format!(
                        "Accept: image/{format} answers one frame, and time_codes has {frames} times (send Accept: application/json for several)"
                    ),
                });
            }
            if let Some(o) = args.as_object_mut() {
                o.insert("format".into(), json!(format));
            }
        } else if let Some(o) = args.as_object_mut() {
            // JSON answers keep the older HTTP server's default format; the MCP tool's is PNG.
            if o.get("format").is_none_or(Value::is_null) {
                o.insert(
                    "format".into(),
                    json!(crate::request::DEFAULT_HTTP_FORMAT),
                );
            }
        }
        svc.render(args).await
    }
    .await;
    svc.record("render", started, &r);
    match r {
        Err(e) => error_response(&e),
        Ok(rendered) if raw.is_some() => {
            let Some(frame) = rendered.output.frames.first() else {
                return error_response(&ServiceError::RenderFailed {
                    message: "the worker returned no frame".into(),
                });
            };
            let Some(bytes) = crate::request::decode_base64(&frame.data) else {
                return error_response(&ServiceError::RenderFailed {
                    message: "the worker returned a frame that is not base64".into(),
                });
            };
            let mut resp = Response::new(Body::from(bytes));
            let h = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&frame.mime) {
                h.insert(header::CONTENT_TYPE, v);
            }
            for (name, value) in [
                ("x-render-ms", format!("{:.3}", frame.render_ms)),
                ("x-frame-time", frame.time.to_string()),
                ("x-backend", rendered.output.backend.clone()),
            ] {
                if let Ok(v) = HeaderValue::from_str(&value) {
                    h.insert(name, v);
                }
            }
            resp
        }
        Ok(rendered) => json_response(200, &rendered.to_json()),
    }
}

async fn healthz(State(svc): State<Arc<Service>>) -> Response {
    json_response(
        200,
        &json!({
            "status": "ok",
            "workers": svc.metrics.workers(),
            "pool_size": svc.pool.size(),
            "queue_depth": svc.metrics.queue_depth().max(0),
            "uptime_s": svc.started.elapsed().as_secs(),
            "version": env!("CARGO_PKG_VERSION"),
        }),
    )
}

async fn metrics(State(svc): State<Arc<Service>>) -> Response {
    let mut r = Response::new(Body::from(svc.metrics.render()));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(crate::metrics::CONTENT_TYPE),
    );
    r
}

async fn not_found(req: Request) -> Response {
    let message = format!(
        "no route {} {} (routes: POST /validate, POST /render, POST /info, GET /healthz, GET /metrics)",
        req.method(),
        req.uri().path()
    );
    json_response(
        404,
        &json!({ "success": false, "errors": [message], "error": { "kind": "not_found", "field": null, "message": message } }),
    )
}

/// Equal strings, compared in time that does not depend on where they differ (only on their
/// lengths).
fn same(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.ct_eq(b))
}

/// `Authorization: Bearer TOKEN` on every route but `/healthz`, when a token is set.
pub async fn auth(State(token): State<Option<Arc<String>>>, req: Request, next: Next) -> Response {
    let Some(token) = token else {
        return next.run(req).await;
    };
    if req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    match given {
        Some(t) if same(t.trim().as_bytes(), token.as_bytes()) => next.run(req).await,
        _ => {
            let message =
                "this server needs Authorization: Bearer TOKEN (the --token it was started with)";
            let mut r = json_response(
                401,
                &json!({ "success": false, "errors": [message], "error": { "kind": "unauthorized", "field": "Authorization", "message": message } }),
            );
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            r
        }
    }
}

/// The HTTP routes of `isf serve`.
pub fn router(svc: Arc<Service>) -> Router {
    let limit = svc.config.limits.max_body;
    let token = svc.config.token.clone().map(Arc::new);
    let origins: crate::origin::Allowed = Arc::new(svc.config.allow_origins.clone());
    Router::new()
        .route(
            "/validate",
            post(|s, h, b| json_route(s, h, b, "validate", Service::validate)),
        )
        .route("/render", post(render))
        .route(
            "/info",
            post(|s, h, b| json_route(s, h, b, "info", Service::info)),
        )
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(token, auth))
        .layer(axum::middleware::from_fn_with_state(
            origins,
            crate::origin::guard,
        ))
        .with_state(svc)
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        error_response(&self)
    }
}
