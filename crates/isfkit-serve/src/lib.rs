//! isfkit-serve: isfkit for servers and AI agents.
//!
//! - `isf serve` ([`run_http`]): JSON over HTTP ([`http`]).
//! - `isf mcp` ([`run_mcp_stdio`], [`run_mcp_http`]): the Model Context Protocol ([`mcp`]).
//!
//! Both check requests ([`request`]) and shaders ([`shader`]) in-process without a GPU, and
//! render in a [`pool`] of worker processes ([`worker`], `isf __serve-worker`), one engine
//! each, killed and replaced at a request's deadline. [`load`] is the load test behind
//! `isf bench serve`. This crate names no wgpu type: the engine is isfkit-render's.

pub mod accept;
pub mod config;
pub mod error;
pub mod http;
pub mod load;
pub mod mcp;
pub mod metrics;
pub mod origin;
pub mod pool;
pub mod request;
pub mod service;
pub mod shader;
pub mod worker;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub use config::{Limits, ServeConfig};
pub use error::ServiceError;
pub use service::Service;

/// The runtime the server runs on: big stacks, because the shader checks (parsing, naga)
/// recurse on the blocking threads.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(64 << 20)
        .build()
}

/// Resolves when the process gets Ctrl-C or SIGTERM.
pub async fn termination() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// How long in-flight requests may take to finish once a shutdown started.
fn grace(config: &ServeConfig) -> Duration {
    config.limits.max_deadline + Duration::from_secs(5)
}

/// Closes the workers, prints their cleanup reports; the exit status (0 clean, 3 not).
async fn finish(svc: &Service) -> u8 {
    let reports = svc.shutdown().await;
    if service::print_reports(&reports) {
        0
    } else {
        3
    }
}

/// Runs `main` on a new [`runtime`]; its exit status (an early one as its error), or 1 when
/// the runtime cannot start.
fn on_runtime(main: impl Future<Output = Result<u8, u8>>) -> u8 {
    match runtime() {
        Ok(rt) => rt.block_on(main).unwrap_or_else(|code| code),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            1
        }
    }
}

async fn bind(addr: &str) -> Result<tokio::net::TcpListener, u8> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        eprintln!("error: cannot listen on {addr}: {e}");
        2
    })
}

/// Binds `addr` (exit status 2 when it cannot) and warns when it is open to other machines
/// without a token; the listener and the address it got, as text.
async fn listen(addr: &str, config: &ServeConfig) -> Result<(tokio::net::TcpListener, String), u8> {
    let listener = bind(addr).await?;
    let local = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    if let Ok(a) = listener.local_addr() {
        warn_if_open(a, config);
    }
    Ok((listener, local))
}

fn warn_if_open(addr: std::net::SocketAddr, config: &ServeConfig) {
    if !addr.ip().is_loopback() && config.token.is_none() {
        eprintln!("warning: listening on {addr}, reachable from other machines, without --token");
    }
}

/// Serves `router` until `stop` resolves, then lets in-flight requests finish (bounded).
async fn serve_router(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    stop: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, router).with_graceful_shutdown(async {
        let _ = rx.await;
    });
    let server = tokio::spawn(async move { server.await });
    tokio::pin!(stop);
    tokio::pin!(server);
    tokio::select! {
        _ = &mut server => return,
        _ = &mut stop => {}
    }
    eprintln!("shutting down: finishing requests in flight");
    let _ = tx.send(());
    if tokio::time::timeout(grace, &mut server).await.is_err() {
        eprintln!(
            "warning: requests still running after {} s were abandoned",
            grace.as_secs()
        );
        server.abort();
    }
}

/// `isf serve`: HTTP on `addr` until Ctrl-C or SIGTERM. Returns the exit status.
pub fn run_http(config: ServeConfig, addr: &str) -> u8 {
    on_runtime(async {
        let (listener, local) = listen(addr, &config).await?;
        let grace = grace(&config);
        let svc = Service::start(config);
        eprintln!(
            "isf serve: listening on http://{local} ({} render workers)",
            svc.pool.size()
        );
        serve_router(listener, http::router(svc.clone()), termination(), grace).await;
        Ok(finish(&svc).await)
    })
}

/// `isf mcp`: MCP over stdio until the client closes stdin (or Ctrl-C / SIGTERM).
pub fn run_mcp_stdio(config: ServeConfig) -> u8 {
    use rmcp::ServiceExt;
    on_runtime(async {
        let svc = Service::start(config);
        let server = mcp::IsfMcp { svc: svc.clone() };
        match server.serve(rmcp::transport::stdio()).await {
            Ok(running) => {
                let ct = running.cancellation_token();
                tokio::select! {
                    _ = running.waiting() => {}
                    _ = termination() => { ct.cancel(); }
                }
            }
            Err(e) => {
                eprintln!("error: MCP session failed to start: {e}");
            }
        }
        Ok(finish(&svc).await)
    })
}

/// `isf mcp --http ADDR`: MCP's streamable HTTP transport at `http://ADDR/mcp`.
pub fn run_mcp_http(config: ServeConfig, addr: &str) -> u8 {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
    on_runtime(async {
        let (listener, local) = listen(addr, &config).await?;
        let grace = grace(&config);
        let token = config.token.clone().map(Arc::new);
        let origins: origin::Allowed = Arc::new(config.allow_origins.clone());
        let body = config.limits.max_body;
        let svc = Service::start(config);
        let mcp_config = StreamableHttpServerConfig::default().with_max_request_body_bytes(body);
        let cancel = mcp_config.cancellation_token.clone();
        let for_factory = svc.clone();
        let mcp_service = StreamableHttpService::new(
            move || {
                Ok(mcp::IsfMcp {
                    svc: for_factory.clone(),
                })
            },
            Arc::new(LocalSessionManager::default()),
            mcp_config,
        );
        let health = svc.clone();
        let router = axum::Router::new()
            .nest_service("/mcp", mcp_service)
            .route(
                "/healthz",
                axum::routing::get(move || {
                    let h = health.clone();
                    async move {
                        axum::Json(
                            serde_json::json!({ "status": "ok", "workers": h.metrics.workers() }),
                        )
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(token, http::auth))
            .layer(axum::middleware::from_fn_with_state(origins, origin::guard));
        eprintln!(
            "isf mcp: streamable HTTP on http://{local}/mcp ({} render workers)",
            svc.pool.size()
        );
        let stop = async move {
            termination().await;
            cancel.cancel();
        };
        serve_router(listener, router, stop, grace).await;
        Ok(finish(&svc).await)
    })
}

/// `isf __serve-worker`: the render worker's main loop on stdin/stdout.
pub fn run_worker(backend: &str) -> u8 {
    worker::main(backend)
}
