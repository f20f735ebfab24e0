//! The listening socket: accepts connections up to a cap (the excess is answered 503 at once
//! and closed), serves each with hyper's HTTP/1 under a header read timeout, bounds each
//! request's whole time (body read and handling), and shuts down gracefully.
//!
//! `axum::serve` has none of these limits: a client that sends a request line and then one
//! byte every few seconds holds a connection (and a file descriptor) for ever.

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::Service as _;

/// How long open connections get to finish once shutdown starts.
const GRACE: Duration = Duration::from_secs(10);

/// What the listener allows each client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Time a client has to send a whole request header (line and fields), also when the
    /// connection is idle between requests.
    pub header_timeout: Duration,
    /// Time from a request's header to its response: reading the body and handling it.
    /// Past it the client gets 408.
    pub request_timeout: Duration,
}

impl Default for Limits {
    /// 512 connections, 10 s for a header, 30 s for a request.
    fn default() -> Self {
        Limits {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// The answer to a connection over the cap, written without waiting and then closed.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\
content-type: text/plain; charset=utf-8\r\nretry-after: 5\r\ncontent-length: 27\r\n\r\n\
Too many open connections.\n";

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then waits up to
/// 10 s for open connections to finish. Each request carries the peer's
/// [`ConnectInfo<std::net::SocketAddr>`], as `into_make_service_with_connect_info` gives it.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let app = app.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, or the like: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            refuse(&stream);
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().call(req)
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection closed");
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {
            tracing::warn!("connections still open {GRACE:?} after shutdown began: closing them");
        }
    }
    Ok(())
}

/// Answers a connection over the cap with 503 if its send buffer takes it at once, and
/// closes it (on drop).
fn refuse(stream: &TcpStream) {
    tracing::warn!("connection cap reached: refusing a connection");
    let _ = stream.try_write(BUSY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_answer_is_well_formed() {
        let text = std::str::from_utf8(BUSY).expect("ascii");
        let (head, body) = text.split_once("\r\n\r\n").expect("head");
        assert!(head.starts_with("HTTP/1.1 503 "));
        assert!(head.contains(&format!("content-length: {}", body.len())));
    }
}
