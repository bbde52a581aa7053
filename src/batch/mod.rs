//! Batch work: every record of every input, worked on by every core, handed back in
//! input order. One thread reads, the others work, the caller's thread receives the
//! results in order; no barrier between chunks, and at most a window of records is
//! held in memory however long the input is. Records go to the workers in chunks
//! (up to [`CHUNK`]) while they have a backlog, one by one while one waits, so a
//! slow stream is decided record by record and a file without a wake-up per record.
//!
//! May use: `input`. The work done on each record is the caller's (the CLI renders
//! decisions; a server could do otherwise).

pub mod ordered;

use crate::input::{read_records_until, InputRecord};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How a batch is spread over threads.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Threads that work on records (besides the reading and receiving threads).
    /// One means everything happens on the caller's thread, in order.
    pub workers: usize,
    /// The most records read ahead of the oldest one not yet handed back.
    pub window: usize,
}

impl Default for Options {
    /// One worker per core, and a window of 1,024 records.
    fn default() -> Self {
        Options {
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            window: 1024,
        }
    }
}

/// Where a batch's results go, in input order, on the caller's thread.
pub trait Sink<R> {
    /// One result; `Break` stops the batch (a closed pipe): nothing more is read or
    /// worked on.
    fn emit(&mut self, result: R) -> ControlFlow<()>;

    /// Called when no result is ready and the batch is about to wait for one (for
    /// input, or for work): the moment to flush what was written, so a reader
    /// sees every result as soon as it is decided.
    fn idle(&mut self) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

impl<R, F: FnMut(R) -> ControlFlow<()>> Sink<R> for F {
    fn emit(&mut self, result: R) -> ControlFlow<()> {
        self(result)
    }
}

/// How often a waiting worker looks whether the batch was stopped.
const POLL: Duration = Duration::from_millis(20);

/// Reads every record of `paths` in order, gives each to `work` (on any thread), and
/// hands every result to `sink` (on the caller's thread) in input order. A panic in
/// `work` is a bug; the record still gets a result, from `on_panic` with the
/// record's input name. The sink may stop the batch early (a closed pipe), after
/// which nothing more is read or worked on, and `run` returns at once even when the
/// input is a pipe with nothing to read yet.
pub fn run<R: Send>(
    paths: &[String],
    options: Options,
    work: impl Fn(InputRecord) -> R + Sync,
    on_panic: impl Fn(&str) -> R + Sync,
    sink: &mut impl Sink<R>,
) {
    let guarded = |record: InputRecord| {
        let input = record.input.clone();
        catch_unwind(AssertUnwindSafe(|| work(record))).unwrap_or_else(|_| on_panic(&input))
    };
    if options.workers <= 1 {
        for path in paths {
            // Only a stream may keep the next record waiting: after each of its
            // records the sink may flush. A file's records are all there, and what is
            // written goes out as the writer's buffer fills and at the end.
            let streamed = path == "-";
            let flow = read_records_until(path, &mut |record| {
                sink.emit(guarded(record))?;
                if streamed {
                    sink.idle()
                } else {
                    ControlFlow::Continue(())
                }
            });
            if flow.is_break() {
                return;
            }
        }
        return;
    }

    let window = options.window.max(1);
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        received: Mutex::new(0),
        ready: Condvar::new(),
        queued: AtomicUsize::new(0),
    });
    // Records travel in chunks: one channel operation and one wake-up for many
    // records while the workers have a backlog, a chunk of one when one is idle.
    let (jobs_tx, jobs_rx) = sync_channel::<(usize, Vec<InputRecord>)>(window);
    let jobs_rx = Mutex::new(jobs_rx);
    let (results_tx, results_rx) = sync_channel::<(usize, Vec<R>)>(window);

    // The reader is not joined: it may be blocked on a pipe that never speaks again,
    // and a stopped batch must not wait for it. It stops at its next record.
    {
        let shared = Arc::clone(&shared);
        let paths = paths.to_vec();
        let spawned = std::thread::Builder::new()
            .name("reader".to_string())
            .spawn(move || {
                let mut next = 0usize;
                let mut chunk: Vec<InputRecord> = Vec::new();
                // A chunk never holds more than the window, or its last record
                // could wait for room only its own first ones would make.
                let most = CHUNK.min(window);
                // Hands the chunk to the workers; false when the batch stopped.
                let send = |chunk: &mut Vec<InputRecord>, next: usize| -> bool {
                    if chunk.is_empty() {
                        return true;
                    }
                    let start = next - chunk.len();
                    if shared.stopped() || !shared.wait_for_room(next - 1, window) {
                        return false;
                    }
                    shared.queued.fetch_add(1, Ordering::SeqCst);
                    jobs_tx.send((start, std::mem::take(chunk))).is_ok()
                };
                for path in &paths {
                    let flow = read_records_until(path, &mut |record| {
                        chunk.push(record);
                        next += 1;
                        let idle = shared.queued.load(Ordering::SeqCst) == 0;
                        if (idle || chunk.len() >= most) && !send(&mut chunk, next) {
                            return ControlFlow::Break(());
                        }
                        ControlFlow::Continue(())
                    });
                    if flow.is_break() || !send(&mut chunk, next) {
                        break;
                    }
                }
                // Dropping the sender tells the workers there is nothing more.
            });
        if spawned.is_err() {
            tracing::error!("cannot start the reading thread");
            return;
        }
    }

    std::thread::scope(|scope| {
        let (shared, jobs_rx) = (&*shared, &jobs_rx);
        for _ in 0..options.workers {
            let results_tx = results_tx.clone();
            let guarded = &guarded;
            scope.spawn(move || {
                while let Some((start, records)) = next_job(jobs_rx, shared) {
                    shared.queued.fetch_sub(1, Ordering::SeqCst);
                    let mut results = Vec::with_capacity(records.len());
                    for record in records {
                        if shared.stopped() {
                            return;
                        }
                        results.push(guarded(record));
                    }
                    if results_tx.send((start, results)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(results_tx);

        // Receive in any order, hand back in input order.
        let mut pending: BTreeMap<usize, Vec<R>> = BTreeMap::new();
        let mut next = 0usize;
        let mut flow = ControlFlow::Continue(());
        while flow.is_continue() {
            let (start, results) = match results_rx.try_recv() {
                Ok(item) => item,
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    flow = sink.idle();
                    if flow.is_break() {
                        break;
                    }
                    match results_rx.recv() {
                        Ok(item) => item,
                        Err(_) => break,
                    }
                }
            };
            pending.insert(start, results);
            while let Some(results) = pending.remove(&next) {
                for result in results {
                    next += 1;
                    flow = sink.emit(result);
                    if flow.is_break() {
                        break;
                    }
                }
                shared.received_up_to(next);
                if flow.is_break() {
                    break;
                }
            }
        }
        pending.clear();
        shared.stop();
        // Unblock workers waiting to hand over a result.
        drop(results_rx);
    });
}

/// The most records in one chunk handed to a worker.
const CHUNK: usize = 128;

/// What the reader, the workers and the caller's thread share.
struct Shared {
    stop: AtomicBool,
    /// Chunks handed to the workers and not yet taken by one.
    queued: AtomicUsize,
    /// How many results the caller has received; the reader stays within a window.
    received: Mutex<usize>,
    ready: Condvar,
}

impl Shared {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn stop(&self) {
        // Under the lock, so a reader about to wait cannot miss the news.
        if let Ok(_n) = self.received.lock() {
            self.stop.store(true, Ordering::Relaxed);
        }
        self.stop.store(true, Ordering::Relaxed);
        self.ready.notify_all();
    }

    fn received_up_to(&self, n: usize) {
        if let Ok(mut got) = self.received.lock() {
            *got = n;
        }
        self.ready.notify_all();
    }

    /// Blocks the reader while record `seq` would run more than `window` ahead of
    /// the results handed back; false when the batch stopped meanwhile.
    fn wait_for_room(&self, seq: usize, window: usize) -> bool {
        let Ok(mut n) = self.received.lock() else {
            return false;
        };
        while seq >= *n + window && !self.stopped() {
            n = match self.ready.wait(n) {
                Ok(n) => n,
                Err(_) => return false,
            };
        }
        !self.stopped()
    }
}

/// The next record to work on, or `None` when there is no more or the batch stopped.
fn next_job<T>(jobs: &Mutex<Receiver<T>>, shared: &Shared) -> Option<T> {
    loop {
        if shared.stopped() {
            return None;
        }
        let jobs = jobs.lock().ok()?;
        match jobs.recv_timeout(POLL) {
            Ok(job) => return Some(job),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn jsonl(n: usize) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.jsonl");
        let mut f = std::fs::File::create(&path).expect("create");
        for i in 0..n {
            writeln!(
                f,
                r#"{{"id": "A-{i}", "submitted_at": "2026-03-02", "data_kind": "identifiable"}}"#
            )
            .expect("write");
        }
        (dir, path.to_string_lossy().into_owned())
    }

    fn ids(workers: usize, window: usize, n: usize) -> Vec<String> {
        let (_dir, path) = jsonl(n);
        let mut got = Vec::new();
        run(
            &[path],
            Options { workers, window },
            |r| r.result.map(|a| a.id).unwrap_or_default(),
            |_| "panic".to_string(),
            &mut |id| {
                got.push(id);
                ControlFlow::Continue(())
            },
        );
        got
    }

    #[test]
    fn results_come_back_in_input_order_on_many_threads() {
        let want: Vec<String> = (0..2000).map(|i| format!("A-{i}")).collect();
        assert_eq!(ids(4, 8, 2000), want);
        assert_eq!(ids(1, 8, 50), want[..50].to_vec());
    }

    /// Counts results and the times the batch said it was idle.
    #[derive(Default)]
    struct Counting {
        results: usize,
        idle: usize,
    }

    impl Sink<String> for Counting {
        fn emit(&mut self, _: String) -> ControlFlow<()> {
            self.results += 1;
            ControlFlow::Continue(())
        }

        fn idle(&mut self) -> ControlFlow<()> {
            self.idle += 1;
            ControlFlow::Continue(())
        }
    }

    #[test]
    fn on_one_worker_a_file_is_written_without_a_flush_per_record() {
        let (_dir, path) = jsonl(100);
        let mut sink = Counting::default();
        run(
            &[path],
            Options {
                workers: 1,
                window: 8,
            },
            |r| r.input,
            |_| "panic".to_string(),
            &mut sink,
        );
        assert_eq!((sink.results, sink.idle), (100, 0));
    }

    #[test]
    fn a_panic_gives_its_record_a_result_and_the_rest_go_on() {
        let (_dir, path) = jsonl(10);
        let mut got = Vec::new();
        run(
            &[path],
            Options {
                workers: 3,
                window: 4,
            },
            |r| {
                let id = r.result.map(|a| a.id).unwrap_or_default();
                assert_ne!(id, "A-3", "a deliberate bug");
                id
            },
            |input| format!("panic at {input}"),
            &mut |id| {
                got.push(id);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(got.len(), 10);
        assert!(got[3].starts_with("panic at "), "{got:?}");
        assert_eq!(got[4], "A-4");
    }

    #[test]
    fn stopping_early_ends_the_batch() {
        let (_dir, path) = jsonl(5000);
        let mut got = 0;
        run(
            &[path],
            Options {
                workers: 2,
                window: 16,
            },
            |r| r.input,
            |i| i.to_string(),
            &mut |_| {
                got += 1;
                if got == 3 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(got, 3);
    }
}
