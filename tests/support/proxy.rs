//! A fault-injecting TCP proxy on loopback, between a kiosk and the server.
//!
//! Per accepted connection it draws (from a seeded [`Rng`]) one of: pass through; drop the
//! connection before forwarding anything; forward the request but cut the response after a
//! few bytes (the server has done the work, the kiosk never hears of it); stall for seconds
//! and then pass through; answer `HTTP/1.1 500` itself. Faults are bounded in count and in
//! time (`faults_for`): after either, every connection passes through. The proxy stops by
//! itself after `lifetime`, or when dropped.

use super::Rng;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    Pass,
    DropBeforeForward,
    ResetMidResponse,
    Stall,
    Answer500,
}

/// Odds and bounds of the faults.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    /// Probability of each fault per connection (the rest pass through).
    pub drop: f64,
    pub reset: f64,
    pub stall: f64,
    pub answer_500: f64,
    /// Stall length range, ms.
    pub stall_ms: (u64, u64),
    /// At most this many faults.
    pub max_faults: usize,
    /// Faults only this long after start.
    pub faults_for: Duration,
    /// The proxy stops accepting after this long.
    pub lifetime: Duration,
    /// Any connection is closed after a random time in this range (ms), wherever it is.
    pub conn_life_ms: (u64, u64),
}

impl Plan {
    pub fn new(seed: u64) -> Self {
        Plan {
            seed,
            drop: 0.04,
            reset: 0.10,
            stall: 0.005,
            answer_500: 0.04,
            stall_ms: (1_000, 2_500),
            max_faults: 1_000,
            faults_for: Duration::from_secs(600),
            lifetime: Duration::from_secs(3_600),
            conn_life_ms: (40_000, 45_000),
        }
    }
}

/// Counts per fault kind.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub connections: usize,
    /// Passed-through requests whose answer never came whole because the server went away
    /// (killed) while it had them.
    pub lost_upstream: usize,
    pub by_kind: std::collections::BTreeMap<String, usize>,
}

impl Stats {
    pub fn faults(&self) -> usize {
        self.by_kind
            .iter()
            .filter(|(k, _)| k.as_str() != "Pass")
            .map(|(_, n)| n)
            .sum()
    }
}

/// A running proxy.
#[derive(Debug)]
pub struct Proxy {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    faults_off: Arc<AtomicBool>,
    stats: Arc<Mutex<Stats>>,
    posts: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Listens on 127.0.0.1:0 and forwards to `upstream`.
    pub fn start(upstream: SocketAddr, plan: Plan) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let stop = Arc::new(AtomicBool::new(false));
        let faults_off = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(Mutex::new(Stats::default()));
        let posts = Arc::new(AtomicUsize::new(0));
        let thread = {
            let shared = Shared {
                stop: Arc::clone(&stop),
                faults_off: Arc::clone(&faults_off),
                stats: Arc::clone(&stats),
                posts: Arc::clone(&posts),
            };
            std::thread::Builder::new()
                .name("fault-proxy".into())
                .spawn(move || accept_loop(listener, upstream, plan, shared))
                .expect("spawn proxy")
        };
        Proxy {
            addr,
            stop,
            faults_off,
            stats,
            posts,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// From now on every connection passes through.
    pub fn end_faults(&self) {
        self.faults_off.store(true, Ordering::SeqCst);
    }

    /// Whether an upload (a POST) is at the server right now, its answer not yet back.
    pub fn upload_in_flight(&self) -> bool {
        self.posts.load(Ordering::SeqCst) > 0
    }

    pub fn stats(&self) -> Stats {
        self.stats.lock().expect("stats").clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the accepting thread shares with the proxy handle.
struct Shared {
    stop: Arc<AtomicBool>,
    faults_off: Arc<AtomicBool>,
    stats: Arc<Mutex<Stats>>,
    posts: Arc<AtomicUsize>,
}

fn accept_loop(listener: TcpListener, upstream: SocketAddr, plan: Plan, shared: Shared) {
    let Shared {
        stop,
        faults_off,
        stats,
        posts,
    } = shared;
    let started = Instant::now();
    let mut rng = Rng::new(plan.seed);
    let mut faults = 0usize;
    while !stop.load(Ordering::SeqCst) && started.elapsed() < plan.lifetime {
        let client = match listener.accept() {
            Ok((c, _)) => c,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            }
            Err(_) => continue,
        };
        let _ = client.set_nonblocking(false);
        let fault_time = !faults_off.load(Ordering::SeqCst)
            && started.elapsed() < plan.faults_for
            && faults < plan.max_faults;
        let x = rng.unit();
        let mut fault = Fault::Pass;
        if fault_time {
            let mut edge = 0.0;
            for (p, f) in [
                (plan.drop, Fault::DropBeforeForward),
                (plan.reset, Fault::ResetMidResponse),
                (plan.stall, Fault::Stall),
                (plan.answer_500, Fault::Answer500),
            ] {
                edge += p;
                if x < edge {
                    fault = f;
                    break;
                }
            }
        }
        if fault != Fault::Pass {
            faults += 1;
        }
        let cut_after = rng.range(1, 120) as usize;
        let stall = rng.millis(plan.stall_ms.0, plan.stall_ms.1.max(plan.stall_ms.0 + 1));
        let life = rng.millis(
            plan.conn_life_ms.0,
            plan.conn_life_ms.1.max(plan.conn_life_ms.0 + 1),
        );
        {
            let mut s = stats.lock().expect("stats");
            s.connections += 1;
            *s.by_kind.entry(format!("{fault:?}")).or_default() += 1;
        }
        let stats = Arc::clone(&stats);
        let posts = Arc::clone(&posts);
        let _ = std::thread::Builder::new()
            .name("fault-proxy-conn".into())
            .spawn(move || {
                let conn = Conn {
                    upstream,
                    cut: None,
                    life,
                    posts,
                };
                if serve(client, conn, fault, cut_after, stall) == Some(false) {
                    stats.lock().expect("stats").lost_upstream += 1;
                }
            });
    }
}

/// Every socket gives up after this long without traffic, so no thread lives for ever.
const IDLE: Duration = Duration::from_secs(45);

/// How one connection is forwarded.
struct Conn {
    upstream: SocketAddr,
    /// Close after this many response bytes.
    cut: Option<usize>,
    /// Close after this long in any case.
    life: Duration,
    /// Uploads at the server now.
    posts: Arc<AtomicUsize>,
}

fn serve(
    client: TcpStream,
    conn: Conn,
    fault: Fault,
    cut_after: usize,
    stall: Duration,
) -> Option<bool> {
    let _ = client.set_read_timeout(Some(IDLE));
    let _ = client.set_nodelay(true);
    match fault {
        Fault::DropBeforeForward => {
            let _ = client.shutdown(Shutdown::Both);
            None
        }
        Fault::Answer500 => {
            answer_500(client);
            None
        }
        Fault::Stall => {
            std::thread::sleep(stall);
            pipe(client, conn)
        }
        Fault::Pass => pipe(client, conn),
        Fault::ResetMidResponse => pipe(
            client,
            Conn {
                cut: Some(cut_after),
                ..conn
            },
        )
        .map(|_| true),
    }
}

fn answer_500(mut client: TcpStream) {
    // Read the request head (and whatever body came with it) so the answer is a real reply.
    let _ = client.set_read_timeout(Some(Duration::from_millis(500)));
    let mut head = Vec::new();
    let mut buf = [0u8; 8192];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 1 << 20 {
        match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let body = b"{\"error\":\"fault proxy says no\"}";
    let reply = format!(
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = client.write_all(reply.as_bytes());
    let _ = client.write_all(body);
    let _ = client.flush();
    let _ = client.shutdown(Shutdown::Both);
}

/// Copies both ways; with `cut`, closes everything after that many response bytes; closes
/// everything after `life` in any case. `Some(whole)`: whether a whole response went back
/// (`None`: nothing to forward to, or the kiosk sent nothing).
fn pipe(client: TcpStream, conn: Conn) -> Option<bool> {
    let Conn {
        upstream,
        cut,
        life,
        posts,
    } = conn;
    let Ok(server) = TcpStream::connect_timeout(&upstream, Duration::from_secs(2)) else {
        // Server down (killed): the kiosk sees the connection close.
        let _ = client.shutdown(Shutdown::Both);
        return None;
    };
    let _ = server.set_read_timeout(Some(IDLE));
    let _ = server.set_nodelay(true);
    let (Ok(mut c_read), Ok(mut s_write)) = (client.try_clone(), server.try_clone()) else {
        return None;
    };
    let finished = Arc::new(AtomicBool::new(false));
    if let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) {
        let finished = Arc::clone(&finished);
        std::thread::spawn(move || {
            let deadline = Instant::now() + life;
            while Instant::now() < deadline && !finished.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.shutdown(Shutdown::Both);
            let _ = s.shutdown(Shutdown::Both);
        });
    }
    let is_post = Arc::new(AtomicBool::new(false));
    let up = {
        let (posts, is_post) = (Arc::clone(&posts), Arc::clone(&is_post));
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            let mut forwarded = 0usize;
            loop {
                match c_read.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if forwarded == 0 && buf[..n].starts_with(b"POST") {
                            is_post.store(true, Ordering::SeqCst);
                            posts.fetch_add(1, Ordering::SeqCst);
                        }
                        if s_write.write_all(&buf[..n]).is_err() {
                            break;
                        }
                        forwarded += n;
                    }
                }
            }
            let _ = s_write.shutdown(Shutdown::Write);
            forwarded
        })
    };
    let (mut s_read, mut c_write) = (server, client);
    // One response per connection, marked `connection: close`, so each request of the
    // kiosk meets the fault dice; with `cut`, only the first `cut` bytes of it get through.
    let mut pending = Vec::new();
    let mut total: Option<usize> = None;
    let mut sent = 0usize;
    let mut buf = [0u8; 16384];
    loop {
        let n = match s_read.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        pending.extend_from_slice(&buf[..n]);
        if total.is_none() {
            match rewrite_head(&pending) {
                Some((rewritten, len)) => {
                    pending = rewritten;
                    total = Some(len);
                }
                None if pending.len() < 1 << 16 => continue,
                None => total = Some(usize::MAX),
            }
        }
        let mut chunk = std::mem::take(&mut pending);
        if let Some(limit) = cut {
            chunk.truncate(limit.saturating_sub(sent));
        }
        if c_write.write_all(&chunk).is_err() {
            break;
        }
        sent += chunk.len();
        if cut.is_some_and(|limit| sent >= limit) || total.is_some_and(|t| sent >= t) {
            break;
        }
    }
    let _ = c_write.shutdown(Shutdown::Both);
    let _ = s_read.shutdown(Shutdown::Both);
    let forwarded = up.join().unwrap_or(0);
    finished.store(true, Ordering::SeqCst);
    if is_post.load(Ordering::SeqCst) {
        posts.fetch_sub(1, Ordering::SeqCst);
    }
    (forwarded > 0).then(|| total.is_some_and(|t| sent >= t))
}

/// With the head of an HTTP response complete in `bytes`: the bytes with `connection: close`
/// put in the head, and the whole response's length (head and `content-length` body).
fn rewrite_head(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let body: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(usize::MAX / 2);
    let kept: Vec<&str> = head
        .split("\r\n")
        .filter(|l| {
            !l.split_once(':')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("connection"))
        })
        .collect();
    let status_line = kept.first().copied().unwrap_or_default();
    let mut out = format!("{status_line}\r\nconnection: close");
    for l in &kept[1..] {
        out.push_str("\r\n");
        out.push_str(l);
    }
    let head_len = out.len();
    let mut rewritten = out.into_bytes();
    rewritten.extend_from_slice(&bytes[end..]);
    Some((rewritten, head_len.saturating_add(body)))
}
