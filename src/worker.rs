//! Worker threads: one type for the kiosk's background threads (the scanning pipeline's,
//! retention's, sync's): a named thread, a way to tell it to stop, and a join when it is
//! stopped or its handle dropped, so no thread outlives what started it.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// What a worker's body waits on between rounds: the word to stop.
#[derive(Debug)]
pub struct StopSignal(Receiver<()>);

impl StopSignal {
    /// Waits up to `wait`; `true` when the worker is told to stop (or its handle is gone).
    pub fn wait(&self, wait: Duration) -> bool {
        !matches!(self.0.recv_timeout(wait), Err(RecvTimeoutError::Timeout))
    }
}

/// A running worker thread; stopping or dropping it stops the thread and waits for it.
pub struct Worker {
    name: String,
    stop: Option<Box<dyn FnOnce() + Send>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Worker({})", self.name)
    }
}

impl Worker {
    /// Runs `body` on a thread named `name`; `body` waits on the [`StopSignal`] it is given.
    pub fn spawn(
        name: &str,
        body: impl FnOnce(StopSignal) + Send + 'static,
    ) -> std::io::Result<Worker> {
        let (stop, stopped) = mpsc::channel::<()>();
        Self::spawn_stopped_by(name, move || drop(stop), move || body(StopSignal(stopped)))
    }

    /// Runs `round` on a thread named `name` at once and then every `every` until stopped.
    pub fn every(
        name: &str,
        every: Duration,
        mut round: impl FnMut() + Send + 'static,
    ) -> std::io::Result<Worker> {
        Self::spawn(name, move |stop| {
            loop {
                round();
                if stop.wait(every) {
                    return;
                }
            }
        })
    }

    /// Runs `body` on a thread named `name` that `stop` tells to stop (by a shutdown message
    /// on the thread's own channel, say).
    pub fn spawn_stopped_by(
        name: &str,
        stop: impl FnOnce() + Send + 'static,
        body: impl FnOnce() + Send + 'static,
    ) -> std::io::Result<Worker> {
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(body)?;
        Ok(Worker {
            name: name.to_owned(),
            stop: Some(Box::new(stop)),
            thread: Some(thread),
        })
    }

    /// Stops the thread and waits for it (as dropping the worker does).
    pub fn stop(self) {}
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop();
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("thread {} panicked", self.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Instant;

    #[test]
    fn a_worker_runs_named_and_stops_at_once_when_dropped() {
        let rounds = Arc::new(AtomicU32::new(0));
        let (name_tx, name_rx) = mpsc::channel();
        let counted = Arc::clone(&rounds);
        let worker = Worker::spawn("usher-test", move |stop| {
            let _ = name_tx.send(std::thread::current().name().map(str::to_owned));
            loop {
                counted.fetch_add(1, Ordering::SeqCst);
                if stop.wait(Duration::from_secs(3600)) {
                    return;
                }
            }
        })
        .expect("spawn");
        let name = name_rx.recv_timeout(Duration::from_secs(10)).expect("ran");
        assert_eq!(name.as_deref(), Some("usher-test"));
        let t = Instant::now();
        drop(worker);
        assert!(t.elapsed() < Duration::from_secs(5), "waited for the hour");
        assert_eq!(rounds.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_worker_stopped_by_its_own_channel_is_joined() {
        let (tx, rx) = mpsc::channel::<&str>();
        let done = Arc::new(AtomicU32::new(0));
        let finished = Arc::clone(&done);
        let worker = Worker::spawn_stopped_by(
            "usher-test-2",
            move || {
                let _ = tx.send("shutdown");
            },
            move || {
                while rx.recv() == Ok("work") {}
                finished.store(1, Ordering::SeqCst);
            },
        )
        .expect("spawn");
        worker.stop();
        assert_eq!(done.load(Ordering::SeqCst), 1, "joined after it finished");
    }
}
